//! Name tables placeholder: being written.
