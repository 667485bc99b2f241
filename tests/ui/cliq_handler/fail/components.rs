//! `component` names one of the rules table's components; `type` a handler type of that
//! component (another component's type is pointed out).
use cliq_webhook::cliq_handler;

#[cliq_handler(component = widget, type = "view_handler")]
async fn unknown_component() {}

#[cliq_handler(component = messageaction, type = "execution_handler")]
async fn wire_name() {}

#[cliq_handler(type = "button_handler")]
async fn bot_by_default() {}

#[cliq_handler(component = function, type = "execution_handler")]
async fn wrong_component() {}

#[cliq_handler(component = function)]
async fn missing_type() {}

#[cliq_handler(component = function, type = "button_handler", icon = "wand/FF5733")]
async fn menu_argument() {}

fn main() {}
