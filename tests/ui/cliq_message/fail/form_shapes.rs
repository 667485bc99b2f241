// CliqForm is for structs with named fields, CliqChoice for enums of unit variants.
use cliq_message::{CliqChoice, CliqForm};

#[derive(CliqForm)]
enum NotAForm {
    A,
}

#[derive(CliqForm)]
struct Tuple(String);

#[derive(CliqChoice)]
struct NotAChoice {
    a: String,
}

#[derive(CliqChoice)]
enum Carries {
    Plain,
    Data(String),
}

fn main() {}
