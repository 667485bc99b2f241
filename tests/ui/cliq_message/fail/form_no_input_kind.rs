// A field whose type has no form input kind.
use cliq_message::CliqForm;

struct Duration(u64);

#[derive(CliqForm)]
struct Timer {
    name: String,
    length: Duration,
}

fn main() {}
