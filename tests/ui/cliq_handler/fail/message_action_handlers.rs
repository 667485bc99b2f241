//! A message action's handler: an unknown permission (every known one is allowed), the
//! message it acts on without the `message` permission, another kind's data and a reply mode
//! it cannot use.
use cliq_webhook::extract::{CommandInput, TargetMessage};
use cliq_webhook::{cliq_handler, Suggestions};

#[cliq_handler(component = message_action, type = "execution_handler", permissions(files))]
async fn forward() {}

#[cliq_handler(component = message_action, type = "execution_handler", name = "quote", permissions(user))]
async fn quote(_message: TargetMessage, _input: CommandInput) -> Suggestions {
    Suggestions::default()
}

fn main() {}
