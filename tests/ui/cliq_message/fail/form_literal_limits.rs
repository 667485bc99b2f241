// Literals over Cliq's form limits: each points at its literal.
use cliq_message::CliqForm;

#[derive(CliqForm)]
#[cliq(name = "a_form_name_that_is_far_longer_than_the_fifty_characters_allowed")]
struct Deploy {
    #[cliq(label = "A label that is far longer than the fifty characters Cliq allows")]
    env: String,
    #[cliq(hint = "A hint that goes on and on, longer than the hundred characters Cliq allows for a form input's hint text")]
    region: String,
}

fn main() {}
