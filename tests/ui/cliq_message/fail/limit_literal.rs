// A literal over one of Cliq's limits does not compile.
fn main() {
    let _ = cliq_message::checked!(BUTTON_LABEL, "Approve this deployment right now");
}
