//! A return type whose reply mode the handler type cannot use is refused at the return type,
//! with the modes it allows. `Option`/`Result` keep the mode of what they wrap.
use cliq_webhook::{cliq_handler, Deferred, Form};

#[cliq_handler(type = "mention_handler")]
async fn mention_form() -> Form {
    Form::new("Deploy", "deploy", cliq_webhook::ExternalFunction("deployForm"))
}

#[cliq_handler(type = "call_handler")]
async fn call_deferred() -> Result<Deferred, String> {
    Ok(Deferred::silently(async {}))
}

#[cliq_handler(type = "welcome_handler")]
fn welcome_form() -> Option<Form> {
    None
}

fn main() {}
