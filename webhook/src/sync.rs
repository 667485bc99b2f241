//! Handler sync (pending generated client).
