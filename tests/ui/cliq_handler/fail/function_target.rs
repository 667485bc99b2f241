//! A button invokes a function this app serves, through the item its attribute puts beside
//! it: a bot handler's item, or a name nothing declares, does not compile.
use cliq_webhook::{cliq_handler, Button};

#[cliq_handler(type = "message_handler")]
async fn echo() {}

fn main() {
    let _ = Button::invoke("Echo", echo {});
    let _ = Button::invoke("Approve", approve {});
    let _ = Button::invoke("Approve", "approve");
}
