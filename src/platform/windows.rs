//! Windows-only process setup for the `fuitecheck` binary.
//!
//! `fuitecheck.exe` is a GUI-subsystem program (`windows_subsystem =
//! "windows"` in `main.rs`), so double-clicking it or starting it from the
//! Start menu opens no console window. It is also the citizen's CLI: when
//! it is given arguments, it attaches to the console of the process that
//! started it (cmd.exe, PowerShell) so that `fuitecheck check …` prints
//! there like a console program. Output redirected to a file or a pipe
//! uses the inherited handles and needs no console.

use windows_sys::Win32::System::Console::{ATTACH_PARENT_PROCESS, AttachConsole};

/// Attach to the parent's console when the program was started with
/// arguments (a CLI command, `--help`, `--version`). Call first in `main`.
pub fn attach_parent_console_for_cli() {
    if std::env::args_os().len() > 1 {
        // SAFETY: AttachConsole takes a process id (or the
        // ATTACH_PARENT_PROCESS constant) and has no memory-safety
        // preconditions. It fails harmlessly when the parent has no
        // console or this process already has one.
        unsafe {
            AttachConsole(ATTACH_PARENT_PROCESS);
        }
    }
}
