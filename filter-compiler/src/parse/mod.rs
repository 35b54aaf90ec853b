//! Parser placeholder: being written.
use crate::ast::Expr;
use crate::error::Result;
pub fn parse(_expr: &str) -> Result<Option<Expr>> { todo!() }
