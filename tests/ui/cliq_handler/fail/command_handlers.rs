//! A slash command's handlers: data another handler kind receives, and reply modes the
//! handler kind cannot use, each refused at the parameter or the return type.
use cliq_webhook::extract::{ButtonClick, FormValues};
use cliq_webhook::{cliq_handler, FormModification, Reply};

// A button's data on a command.
#[cliq_handler(component = command, type = "execution_handler")]
async fn deploy(_click: ButtonClick) -> Reply {
    Reply::text("deployed")
}

// An execution handler cannot answer with a form modification.
#[cliq_handler(component = command, type = "execution_handler", name = "status")]
async fn status() -> FormModification {
    FormModification::new()
}

// A suggestion handler gets no form, and answers with suggestions only.
#[cliq_handler(component = command, type = "suggestion_handler", name = "deploy")]
async fn suggest(_form: FormValues) -> Reply {
    Reply::text("no")
}

fn main() {}
