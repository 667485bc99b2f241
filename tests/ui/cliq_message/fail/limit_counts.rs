// More buttons than a message holds, or a poll of one option, does not compile.
use cliq_message::{Button, Card, MessageContent};

fn main() {
    let b = || Button::open_url("b", "https://example.com");
    let _ = MessageContent::text("x").with_buttons([b(), b(), b(), b(), b(), b()]);
    let _ = Card::poll("Lunch?", ["only one"]);
}
