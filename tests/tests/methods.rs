//! The generator's `cliq_codegen::model::Method` and the runtime's `cliq_runtime::Method`
//! are coupled through text: the generator emits `cliq_runtime::Method::#variant` with the
//! variant spelled as its own `Debug` output, and writes the upper-cased `Debug` text into
//! doc comments. This test fails when the two enums diverge.

use cliq_codegen::model::Method as Gen;
use cliq_runtime::Method as Rt;

/// Every generator method. The exhaustive `match` below stops compiling when a variant is
/// added to the generator without being paired with the runtime's.
const ALL: [Gen; 5] = [Gen::Get, Gen::Post, Gen::Put, Gen::Patch, Gen::Delete];

fn runtime_counterpart(m: Gen) -> Rt {
    match m {
        Gen::Get => Rt::Get,
        Gen::Post => Rt::Post,
        Gen::Put => Rt::Put,
        Gen::Patch => Rt::Patch,
        Gen::Delete => Rt::Delete,
    }
}

#[test]
fn generator_methods_name_runtime_variants() {
    for m in ALL {
        let rt = runtime_counterpart(m);
        // `emit/client.rs` writes `#rt::Method::#method` from the generator's Debug text.
        assert_eq!(format!("{m:?}"), format!("{rt:?}"), "variant names differ");
        // Doc comments say `GET /path`: the same text the runtime sends and logs.
        assert_eq!(format!("{m:?}").to_uppercase(), rt.as_str());
        assert_eq!(rt.as_http().as_str(), rt.as_str());
    }
}

#[test]
fn runtime_has_no_method_the_generator_cannot_emit() {
    // The runtime's match is exhaustive too: a runtime-only variant breaks this build.
    let paired = |rt: Rt| match rt {
        Rt::Get | Rt::Post | Rt::Put | Rt::Patch | Rt::Delete => {
            ALL.iter().any(|&g| runtime_counterpart(g) == rt)
        }
    };
    for rt in [Rt::Get, Rt::Post, Rt::Put, Rt::Patch, Rt::Delete] {
        assert!(paired(rt), "{rt:?} has no generator counterpart");
    }
}
