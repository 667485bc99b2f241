//! Round-trip checks of spec examples through generated types.

use serde_json::Value;

/// A round-trip check of one example.
pub type Check = fn(&Value) -> Result<(), String>;

/// Deserialize `example` as `T`, serialize it back, and compare.
pub fn check<T: serde::de::DeserializeOwned + serde::Serialize>(
    example: &Value,
) -> Result<(), String> {
    let typed: T = serde_json::from_value(example.clone())
        .map_err(|e| format!("does not deserialize: {e}"))?;
    let back = serde_json::to_value(&typed).map_err(|e| format!("does not serialize: {e}"))?;
    if &back == example {
        Ok(())
    } else {
        Err(format!(
            "round trip changed it:\n  spec: {example}\n  back: {back}"
        ))
    }
}
