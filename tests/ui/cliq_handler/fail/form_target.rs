//! A derived form is submitted to the function whose `form_submit_handler` takes
//! `Submission<ThatForm>`: another form's submit handler, a button handler of a function, a
//! bot handler and a submit handler that reads no `Submission` are not its target.
use cliq_webhook::extract::{FormValues, Submission};
use cliq_webhook::message::CliqForm;
use cliq_webhook::{cliq_handler, Reply};

#[derive(CliqForm)]
struct Deploy {
    service: String,
}

#[derive(CliqForm)]
struct Rollback {
    release: String,
}

#[cliq_handler(component = function, type = "form_submit_handler", name = "rollback")]
async fn rollback(Submission(_r): Submission<Rollback>) -> Reply {
    Reply::text("rolled back")
}

#[cliq_handler(component = function, type = "button_handler", name = "approve")]
async fn approve() -> Reply {
    Reply::text("approved")
}

#[cliq_handler(component = function, type = "form_submit_handler", name = "raw")]
async fn raw(_values: FormValues) -> Reply {
    Reply::text("read")
}

#[cliq_handler(type = "message_handler")]
async fn echo() {}

fn main() {
    let _ = Deploy::form(rollback {});
    let _ = Deploy::form(approve {});
    let _ = Deploy::form(raw {});
    let _ = Deploy::form(echo {});
}
