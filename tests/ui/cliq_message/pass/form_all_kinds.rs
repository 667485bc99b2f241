use cliq_message::{
    Button, Card, CliqChoice, CliqForm, Date, DateTime, ExternalFunction, FileUpload, FormField,
    Location, MessageContent,
};

#[derive(CliqChoice)]
enum Size {
    Small,
    #[cliq(label = "Large (XL)", value = "xl")]
    Large,
}

#[derive(CliqForm)]
#[cliq(title = "Everything", name = "everything", hint = "All kinds", button_label = "Send")]
struct Everything {
    #[cliq(label = "Name", placeholder = "Jane", hint = "Your name")]
    name: String,
    #[cliq(textarea)]
    notes: Option<String>,
    #[cliq(email)]
    email: String,
    #[cliq(url)]
    site: Option<String>,
    #[cliq(password)]
    secret: String,
    #[cliq(min = 1, max = 10)]
    count: u32,
    ratio: Option<f64>,
    urgent: bool,
    size: Size,
    #[cliq(radio)]
    other_size: Option<Size>,
    sizes: Vec<Size>,
    #[cliq(checkbox)]
    more_sizes: Vec<Size>,
    day: Date,
    at: Option<DateTime>,
    place: Option<Location>,
    file: Option<FileUpload>,
    r#type: String,
}

fn main() {
    let form = Everything::form(ExternalFunction("submit"));
    form.validate().unwrap();
    assert_eq!(EverythingField::ALL.len(), 17);
    assert_eq!(EverythingField::Type.name(), "type");
    let _ = MessageContent::text("x")
        .card(Card::poll("Lunch?", ["a", "b"]))
        .with_buttons([Button::invoke("Go", ExternalFunction("go"))]);
    let _ = cliq_message::checked!(BUTTON_LABEL, "Approve");
}
