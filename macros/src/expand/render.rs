//! Parameters written as a person would write them, for error messages.
//!
//! `TokenStream::to_string` puts a space between every two tokens (`Vec < & str >`), and
//! stripping all spaces glues words together (`mut chat` → `mutchat`). [`param`] lets
//! `prettyplease`, the printer the generator uses, write the parameter instead, and joins
//! the lines it may break a long parameter into.

/// `pat: ty` as source text, on one line (`mut chat: Chat`, `&mut Vec<Option<String>>`).
pub(crate) fn param(pat: &syn::Pat, ty: &syn::Type) -> String {
    let file: syn::File = syn::parse_quote!(fn f(#pat: #ty) {});
    let text = prettyplease::unparse(&file);
    // `fn f(<param>) {}`, or `fn f(\n    <param>,\n) {}` when the line got too long.
    let inner = text
        .trim()
        .strip_prefix("fn f(")
        .and_then(|t| t.strip_suffix(") {}"))
        .unwrap_or(&text);
    one_line(inner.trim().trim_end_matches(','))
}

/// Joins a broken line: newlines and indentation become one space, and none is left just
/// inside brackets or before a trailing comma (`Vec<\n    A,\n>` → `Vec<A>`).
fn one_line(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let glued =
            out.ends_with(['<', '(', '[']) || line.starts_with(['>', ')', ']']) || out.is_empty();
        if line.starts_with(['>', ')', ']']) && out.ends_with(',') {
            out.pop();
        }
        if !glued {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::param;

    #[test]
    fn written_as_a_person_would() {
        let cases = [
            ("mut chat: Chat", "mut chat: Chat"),
            ("chat: Chat", "chat: Chat"),
            ("m: Option<Message>", "m: Option<Message>"),
            ("v: &mut Vec<Option<String>>", "v: &mut Vec<Option<String>>"),
            ("s: &'a str", "s: &'a str"),
            (
                "c: ::cliq_webhook::extract::Chat",
                "c: ::cliq_webhook::extract::Chat",
            ),
            (
                "f: Box<dyn Fn(u8, u16) -> u8 + Send>",
                "f: Box<dyn Fn(u8, u16) -> u8 + Send>",
            ),
            ("i: impl Iterator<Item = u8>", "i: impl Iterator<Item = u8>"),
            ("a: [u8; 4]", "a: [u8; 4]"),
            ("(a, mut b): (A, B)", "(a, mut b): (A, B)"),
            ("f: fn(u8) -> u8", "f: fn(u8) -> u8"),
            ("ref x: crate::X", "ref x: crate::X"),
        ];
        for (source, want) in cases {
            let arg: syn::PatType = syn::parse_str::<syn::FnArg>(source)
                .map(|a| match a {
                    syn::FnArg::Typed(t) => t,
                    syn::FnArg::Receiver(_) => panic!("{source}: not a typed argument"),
                })
                .unwrap_or_else(|e| panic!("{source}: {e}"));
            assert_eq!(param(&arg.pat, &arg.ty), want, "{source}");
        }
    }

    #[test]
    fn a_long_parameter_stays_on_one_line() {
        let source = "a_rather_long_parameter_name: ::std::collections::HashMap<::std::string::String, ::std::vec::Vec<::std::option::Option<u64>>>";
        let arg: syn::PatType = match syn::parse_str::<syn::FnArg>(source) {
            Ok(syn::FnArg::Typed(t)) => t,
            other => panic!("{other:?}"),
        };
        let got = param(&arg.pat, &arg.ty);
        assert_eq!(got, source);
    }
}
