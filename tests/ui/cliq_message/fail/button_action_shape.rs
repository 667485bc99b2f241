// An invoke.function button names a function target, not a string; an action's data has
// the shape of its kind.
use cliq_message::{Action, ActionBody, Button, OpenUrl};

fn main() {
    let _ = Button::invoke("Run", "run_job");
    let _ = Action::Copy(ActionBody::new(OpenUrl::default()));
}
