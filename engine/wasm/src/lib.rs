//! WebAssembly bindings of the Retouch engine (being written).
