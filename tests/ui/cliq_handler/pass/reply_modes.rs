//! Every reply mode where the handler type allows it.
use cliq_webhook::{cliq_handler, Bot, Deferred, Form, Reply};

#[cliq_handler(type = "message_handler")]
async fn form() -> Form {
    Form::new("Deploy", "deploy", cliq_webhook::ExternalFunction("deployForm")).text_input("env", "Environment")
}

#[cliq_handler(type = "menu_handler", name = "Deploy")]
async fn deferred() -> Deferred {
    Deferred::new("Deploying…", async { Reply::text("Deployed") })
}

#[cliq_handler(type = "mention_handler")]
async fn mention_deferred() -> Result<Deferred, String> {
    Ok(Deferred::silently(async { "done" }))
}

#[cliq_handler(type = "call_handler")]
async fn call() {}

fn main() {
    let _bot = Bot::<()>::builder()
        .handler(form {})
        .handler(deferred {})
        .handler(mention_deferred {})
        .handler(call {})
        .build();
}
