use cliq_webhook::cliq_handler;

#[cliq_handler(type = "menu_handler", permissions(chat))]
async fn no_name() {}

#[cliq_handler(type = "menu_handler", name = "Deploy to production", icon = "wand")]
async fn long_name_bad_icon() {}

#[cliq_handler(type = "menu_handler", name = "Deploy", icon = "wand/FF57", sub_actions("a", "b", "c", "d", "e", "f"))]
async fn six_sub_actions() {}

#[cliq_handler(type = "menu_handler", name = "", sub_actions("A very long sub-action", "a", "a"))]
async fn empty_name_long_and_duplicate_sub_action() {}

fn main() {}
