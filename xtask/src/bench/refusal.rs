//! A peer's refusal of a spec, read from its stderr: the message, never a stack frame.

/// What a peer says when it refuses a spec, from its stderr, as one table cell: a Rust
/// panic's message, a Java exception's message (the errors it lists, not its stack frames),
/// or else the last line that says something.
pub(crate) fn refusal(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().map(str::trim).collect();
    // What follows a backtrace's header is stack frames.
    let lines: Vec<&str> = lines
        .into_iter()
        .take_while(|l| !l.eq_ignore_ascii_case("stack backtrace:"))
        .collect();
    let message = rust_panic(&lines)
        .or_else(|| java_exception(&lines))
        .or_else(|| rust_error(&lines))
        .or_else(|| last_line(&lines))
        .unwrap_or_else(|| "no message".into());
    let one_line = message.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut cell: String = one_line.chars().take(160).collect();
    if cell.len() < one_line.len() {
        cell.push('…');
    }
    cell.replace('|', "/")
}

/// `thread 'main' panicked at src/main.rs:1:2:` and the message on the lines after it, up
/// to the `note:` (or the older one-line form, `panicked at 'message', src/main.rs:1:2`).
fn rust_panic(lines: &[&str]) -> Option<String> {
    let at = lines.iter().position(|l| l.contains("panicked at "))?;
    let (_, rest) = lines[at].split_once("panicked at ")?;
    let message = if rest.ends_with(':') {
        lines[at + 1..]
            .iter()
            .take_while(|l| {
                !l.is_empty() && !l.starts_with("note:") && !l.starts_with("stack backtrace:")
            })
            .copied()
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        rest.to_string()
    };
    Some(format!("panicked: {message}"))
}

/// `Exception in thread "main" org.x.SomeException: message`, its last `Caused by:`, and the
/// errors listed under `Errors:` (OpenAPI Generator's spec validation), without the stack
/// frames: `SomeException: first error (and N more)`.
fn java_exception(lines: &[&str]) -> Option<String> {
    let header = lines
        .iter()
        .find_map(|l| l.strip_prefix("Exception in thread "))?;
    let thrown = lines
        .iter()
        .rev()
        .find_map(|l| l.strip_prefix("Caused by: "))
        .unwrap_or_else(|| thread_name_off(header));
    let (class, message) = thrown.split_once(": ").unwrap_or((thrown, ""));
    let class = class.rsplit('.').next().unwrap_or(class);
    let errors: Vec<&str> = lines
        .iter()
        .skip_while(|l| **l != "Errors:")
        .skip(1)
        .map_while(|l| l.strip_prefix('-'))
        .collect();
    Some(match errors.as_slice() {
        [] => format!("{class}: {message}"),
        [one] => format!("{class}: {one}"),
        [first, rest @ ..] => format!(
            "{class}: {first} (and {} more error{})",
            rest.len(),
            if rest.len() == 1 { "" } else { "s" }
        ),
    })
}

/// A Rust program's `main` returning an error (`Error: message`); progenitor's is the generic
/// `generation experienced errors`, after one `gen fail: …` line per error, which say why.
fn rust_error(lines: &[&str]) -> Option<String> {
    let fails: Vec<&str> = lines
        .iter()
        .filter_map(|l| l.strip_prefix("gen fail: "))
        .collect();
    match fails.as_slice() {
        [] => lines
            .iter()
            .find(|l| l.starts_with("Error: "))
            .map(|l| l.to_string()),
        [one] => Some(one.to_string()),
        [first, rest @ ..] => Some(format!(
            "{first} (and {} more error{})",
            rest.len(),
            if rest.len() == 1 { "" } else { "s" }
        )),
    }
}

/// `"main" org.x.SomeException: message` without the quoted thread name.
fn thread_name_off(header: &str) -> &str {
    header
        .strip_prefix('"')
        .and_then(|h| h.split_once('"'))
        .map_or(header, |(_, exception)| exception.trim_start())
}

/// The last line that says something: not a stack frame, not `/usr/bin/time`'s own lines.
fn last_line(lines: &[&str]) -> Option<String> {
    let says_nothing = |l: &str| {
        l.is_empty()
            || l.starts_with("at ")
            || (l.starts_with("...") && l.ends_with("more"))
            || l.contains("Command exited")
            || l.chars().all(|c| c.is_ascii_digit())
    };
    lines
        .iter()
        .rfind(|l| !says_nothing(l))
        .map(|l| l.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// OpenAPI Generator 7 on Zoho's `messageactions.yml`, stderr as printed.
    const OAG_TWO_ERRORS: &str = "[main] ERROR o.o.codegen.utils.ModelUtils - Undefined array inner type for `null`. Default to String.
Exception in thread \"main\" org.openapitools.codegen.SpecValidationException: There were issues with the specification. The option can be disabled via validateSpec (Maven/Gradle) or --skip-validate-spec (CLI).
 | Error count: 2, Warning count: 5
Errors: 
\t-attribute components.schemas.MessageActionListItemsResponse.items is missing
\t-attribute components.schemas.MessageActionUpdateResponse.items is missing
Warnings: 
\t-attribute components.schemas.MessageActionListItemsResponse.items is missing

\tat org.openapitools.codegen.config.CodegenConfigurator.toContext(CodegenConfigurator.java:741)
\tat org.openapitools.codegen.OpenAPIGenerator.main(OpenAPIGenerator.java:66)
";

    #[test]
    fn a_java_refusal_is_its_errors_not_a_stack_frame() {
        assert_eq!(
            refusal(OAG_TWO_ERRORS),
            "SpecValidationException: attribute components.schemas.MessageActionListItemsResponse.items is missing (and 1 more error)"
        );
        let one = "Exception in thread \"main\" org.openapitools.codegen.SpecValidationException: There were issues.\n | Error count: 1, Warning count: 0\nErrors: \n\t-attribute paths.'/key/{query}'(get).responses.200.type is unexpected\n\n\tat org.openapitools.codegen.OpenAPIGenerator.main(OpenAPIGenerator.java:66)\n";
        assert_eq!(
            refusal(one),
            "SpecValidationException: attribute paths.'/key/{query}'(get).responses.200.type is unexpected"
        );
        let caused = "Exception in thread \"main\" java.lang.RuntimeException: failed\n\tat a.B.c(B.java:1)\nCaused by: java.io.FileNotFoundException: spec.yaml (No such file)\n\tat a.B.d(B.java:2)\n\t... 3 more\n";
        assert_eq!(
            refusal(caused),
            "FileNotFoundException: spec.yaml (No such file)"
        );
    }

    #[test]
    fn a_rust_panic_is_its_message() {
        let new_form = "thread 'main' panicked at /home/u/.cargo/registry/src/progenitor-impl-0.9.1/src/method.rs:1133:9:\nassertion failed: response_types.len() <= 1\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n";
        assert_eq!(
            refusal(new_form),
            "panicked: assertion failed: response_types.len() <= 1"
        );
        let old_form = "thread 'main' panicked at 'not yet implemented', src/lib.rs:3:5\nnote: run with `RUST_BACKTRACE=1`\n";
        assert_eq!(
            refusal(old_form),
            "panicked: 'not yet implemented', src/lib.rs:3:5"
        );
    }

    #[test]
    fn a_rust_error_is_its_message_not_its_backtrace() {
        // cargo-progenitor 0.15.1 on Blockfrost's spec, with `RUST_BACKTRACE` set.
        let progenitor = "gen fail: UnexpectedFormat(\"path / is missing operation ID\")\nError: generation experienced errors\n\nStack backtrace:\n   0: anyhow::error::<impl core::convert::From<E> for anyhow::Error>::from\n   1: cargo_progenitor::main\n";
        assert_eq!(
            refusal(progenitor),
            "UnexpectedFormat(\"path / is missing operation ID\")"
        );
        let parse = "Error: paths: invalid type: sequence, expected a string at line 7 column 3\n\nStack backtrace:\n   0: anyhow::error::<impl core::convert::From<E> for anyhow::Error>::from\n";
        assert_eq!(
            refusal(parse),
            "Error: paths: invalid type: sequence, expected a string at line 7 column 3"
        );
    }

    #[test]
    fn otherwise_the_last_line_that_says_something() {
        assert_eq!(
            refusal("warming up\nError: invalid spec | x\n\n"),
            "Error: invalid spec / x"
        );
        assert_eq!(refusal(""), "no message");
    }
}
