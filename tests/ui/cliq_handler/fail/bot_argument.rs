use cliq_webhook::cliq_handler;

// `bot` names a bot handler's bot; commands, message actions and functions are found by their
// `name`.
#[cliq_handler(component = command, type = "execution_handler", name = "deploy", bot = "deploybot")]
async fn on_command() {}

#[cliq_handler(component = message_action, type = "execution_handler", bot = "deploybot")]
async fn on_message_action() {}

#[cliq_handler(component = function, type = "button_handler", bot = "deploybot")]
async fn on_click() {}

// The bot's unique name cannot be empty.
#[cliq_handler(type = "message_handler", bot = " ")]
async fn unnamed() {}

#[cliq_handler(type = "message_handler", bot = "deploybot", bot = "supportbot")]
async fn twice() {}

// `name` on a bot handler other than a menu's says where the bot's name goes.
#[cliq_handler(type = "welcome_handler", name = "deploybot")]
async fn welcome() {}

fn main() {}
