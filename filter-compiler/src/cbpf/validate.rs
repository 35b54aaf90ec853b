//! being written
#[derive(Debug)]
pub struct InvalidProgram;
impl std::fmt::Display for InvalidProgram {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid")
    }
}
pub fn validate(_: &[super::Insn]) -> Result<(), InvalidProgram> {
    Ok(())
}
