// Every attribute problem of a form, reported at once.
use cliq_message::CliqForm;

#[derive(CliqForm)]
#[cliq(titel = "Deploy")]
struct Deploy {
    #[cliq(label = "Env", label = "Environment")]
    env: String,
    #[cliq(radio = "yes")]
    region: String,
    #[cliq(min = "1")]
    replicas: u32,
    #[cliq(min = 10, max = 1)]
    cpus: u32,
    #[cliq(textarea, email)]
    notes: String,
    #[cliq(label = 5)]
    owner: String,
}

fn main() {}
