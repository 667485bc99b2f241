// A widget attribute on a field whose type cannot be that widget.
use cliq_message::CliqForm;

#[derive(CliqForm)]
struct Deploy {
    #[cliq(radio)]
    env: String,
    #[cliq(textarea)]
    replicas: u32,
}

fn main() {}
