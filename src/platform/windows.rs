//! Windows: console control events, process handles, access lists, the console's input
//! events, the shell's "print" action, the user interface language.

use std::path::Path;
use std::sync::Mutex;

use windows_sys::Win32::Foundation::{
    CloseHandle, ERROR_ACCESS_DENIED, ERROR_SUCCESS, GENERIC_ALL, GetLastError, HANDLE, LocalFree,
    STILL_ACTIVE,
};
use windows_sys::Win32::Security::Authorization::{
    EXPLICIT_ACCESS_W, NO_MULTIPLE_TRUSTEE, SE_FILE_OBJECT, SET_ACCESS, SetEntriesInAclW,
    SetNamedSecurityInfoW, TRUSTEE_IS_SID, TRUSTEE_IS_USER, TRUSTEE_W,
};
use windows_sys::Win32::Security::{
    ACL, DACL_SECURITY_INFORMATION, GetTokenInformation, PROTECTED_DACL_SECURITY_INFORMATION,
    SUB_CONTAINERS_AND_OBJECTS_INHERIT, TOKEN_QUERY, TOKEN_USER, TokenUser,
};
use windows_sys::Win32::System::Console::{CTRL_BREAK_EVENT, CTRL_C_EVENT, SetConsoleCtrlHandler};
use windows_sys::Win32::System::Threading::{
    GetCurrentProcess, GetExitCodeProcess, OpenProcess, OpenProcessToken,
    PROCESS_QUERY_LIMITED_INFORMATION,
};

/// What restores the terminal, run by the console control handler.
static RESTORE: Mutex<Option<fn()>> = Mutex::new(None);

/// Ctrl+C and Ctrl+Break (when the console still processes them), the console window closed,
/// logoff and shutdown: the terminal is restored, then the process ends (130 as after Ctrl+C
/// on Unix, 129 as after a hangup). Every save is its own committed transaction, so nothing
/// saved is lost; the session stays open in the database, so the next start reports it.
unsafe extern "system" fn on_control(event: u32) -> windows_sys::core::BOOL {
    if let Some(restore) = RESTORE.lock().ok().and_then(|r| *r) {
        restore();
    }
    tracing::warn!(event, "stopped by a console event");
    let code = if event == CTRL_C_EVENT || event == CTRL_BREAK_EVENT {
        130
    } else {
        129
    };
    std::process::exit(code)
}

/// From now on, a console event that ends the process runs `restore` first.
pub fn on_ending(restore: fn()) {
    let first = match RESTORE.lock() {
        Ok(mut slot) => slot.replace(restore).is_none(),
        Err(_) => return,
    };
    if first {
        // SAFETY: registers a handler function that lives as long as the program.
        unsafe { SetConsoleCtrlHandler(Some(on_control), 1) };
    }
}

/// Whether a process with this id is running: a handle to it says so (access denied means it
/// exists but is someone else's).
pub fn process_is_running(pid: u32) -> bool {
    // SAFETY: plain calls on a handle this function opens and closes.
    unsafe {
        let handle: HANDLE = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, 0, pid);
        if handle.is_null() {
            return GetLastError() == ERROR_ACCESS_DENIED;
        }
        let mut code = 0u32;
        let asked = GetExitCodeProcess(handle, &mut code);
        CloseHandle(handle);
        asked != 0 && code == STILL_ACTIVE as u32
    }
}

/// Windows flushes a file only through a handle that may write it.
pub fn durable_handle(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new().write(true).open(path)
}

/// NTFS journals its folders' names; a folder cannot be flushed through a plain handle.
pub fn sync_dir(_dir: &Path) {}

/// Windows has no mode at creation: [`narrow_to_owner`] sets the access list.
pub fn owner_only_options(options: &mut std::fs::OpenOptions) -> &mut std::fs::OpenOptions {
    options
}

pub fn owner_only_folders(builder: &mut std::fs::DirBuilder) -> &mut std::fs::DirBuilder {
    builder
}

/// Replaces the access list of `path` with one entry: full control for the current user, not
/// inherited from the folder (so the administrators' and other users' entries are gone).
pub fn narrow_to_owner(path: &Path) -> std::io::Result<()> {
    use std::os::windows::ffi::OsStrExt;
    let last_error = std::io::Error::last_os_error;
    // SAFETY: the token handle is opened and closed here; the TOKEN_USER buffer is sized by
    // the first call and aligned for it (u64 words); the ACL is freed with LocalFree as
    // SetEntriesInAclW asks; the path is a NUL-terminated wide string that outlives the call.
    unsafe {
        let mut token: HANDLE = std::ptr::null_mut();
        if OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &mut token) == 0 {
            return Err(last_error());
        }
        let mut needed = 0u32;
        GetTokenInformation(token, TokenUser, std::ptr::null_mut(), 0, &mut needed);
        let mut buffer = vec![0u64; (needed as usize).div_ceil(8).max(1)];
        let read = GetTokenInformation(
            token,
            TokenUser,
            buffer.as_mut_ptr().cast(),
            needed,
            &mut needed,
        );
        let error = last_error();
        CloseHandle(token);
        if read == 0 {
            return Err(error);
        }
        let user = &*(buffer.as_ptr() as *const TOKEN_USER);
        let access = EXPLICIT_ACCESS_W {
            grfAccessPermissions: GENERIC_ALL,
            grfAccessMode: SET_ACCESS,
            grfInheritance: SUB_CONTAINERS_AND_OBJECTS_INHERIT,
            Trustee: TRUSTEE_W {
                pMultipleTrustee: std::ptr::null_mut(),
                MultipleTrusteeOperation: NO_MULTIPLE_TRUSTEE,
                TrusteeForm: TRUSTEE_IS_SID,
                TrusteeType: TRUSTEE_IS_USER,
                ptstrName: user.User.Sid.cast(),
            },
        };
        let mut acl: *mut ACL = std::ptr::null_mut();
        let made = SetEntriesInAclW(1, &access, std::ptr::null(), &mut acl);
        if made != ERROR_SUCCESS {
            return Err(std::io::Error::from_raw_os_error(made as i32));
        }
        let wide: Vec<u16> = path
            .as_os_str()
            .encode_wide()
            .chain(std::iter::once(0))
            .collect();
        let set = SetNamedSecurityInfoW(
            wide.as_ptr(),
            SE_FILE_OBJECT,
            DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            acl,
            std::ptr::null(),
        );
        LocalFree(acl.cast());
        if set != ERROR_SUCCESS {
            return Err(std::io::Error::from_raw_os_error(set as i32));
        }
    }
    Ok(())
}

/// A pipe whose reader closed says "no data" or "not connected" (232, 233), besides the
/// "broken pipe" the standard library already names.
pub fn reader_went_away(error: &std::io::Error) -> bool {
    use windows_sys::Win32::Foundation::{ERROR_NO_DATA, ERROR_PIPE_NOT_CONNECTED};
    matches!(error.raw_os_error(), Some(code) if code == ERROR_NO_DATA as i32 || code == ERROR_PIPE_NOT_CONNECTED as i32)
}

pub fn created_for_owner(path: &Path) {
    if let Err(error) = narrow_to_owner(path) {
        // The path may name an application: only the error goes to the log.
        tracing::warn!(%error, "access list not set (a volume without access lists?)");
    }
}

pub fn is_char_device(_meta: &std::fs::Metadata) -> bool {
    false
}

/// The shell's "print" action of the PDF (the default viewer prints to the default printer);
/// where no viewer registers one, the PDF is opened to print from there.
pub fn print(path: &Path) -> super::Printed {
    use std::os::windows::ffi::OsStrExt;
    use windows_sys::Win32::UI::Shell::ShellExecuteW;
    use windows_sys::Win32::UI::WindowsAndMessaging::{SW_HIDE, SW_SHOWNORMAL};
    let wide = |text: &std::ffi::OsStr| -> Vec<u16> {
        text.encode_wide().chain(std::iter::once(0)).collect()
    };
    let file = wide(path.as_os_str());
    let run = |verb: &str, show| {
        let verb = wide(std::ffi::OsStr::new(verb));
        // SAFETY: NUL-terminated wide strings that outlive the call; no window handle.
        let answer = unsafe {
            ShellExecuteW(
                std::ptr::null_mut(),
                verb.as_ptr(),
                file.as_ptr(),
                std::ptr::null(),
                std::ptr::null(),
                show,
            )
        };
        // Above 32 is success, as the function documents.
        answer as usize > 32
    };
    if run("print", SW_HIDE) {
        super::Printed::Sent
    } else if run("open", SW_SHOWNORMAL) {
        super::Printed::Opened
    } else {
        super::Printed::NoPrinter
    }
}

/// The Windows display language, when it is Russian, Kazakh or English.
pub fn ui_language() -> Option<crate::i18n::Lang> {
    use crate::i18n::Lang;
    // SAFETY: takes no arguments, returns a language id.
    let id = unsafe { windows_sys::Win32::Globalization::GetUserDefaultUILanguage() };
    // The primary language: the low ten bits.
    match id & 0x3ff {
        0x19 => Some(Lang::Ru),
        0x3f => Some(Lang::Kk),
        0x09 => Some(Lang::En),
        _ => None,
    }
}

/// The console gives key events (no escape sequences to get stuck in), and a paste arrives as
/// a burst of keys: the events queued together are read at once and a burst of typed
/// characters becomes one paste, with the same 64 KB cap as a terminal's paste.
pub fn spawn_input<T: Send + 'static>(
    tx: std::sync::mpsc::Sender<T>,
    wrap: fn(crate::input::Input) -> T,
    ended: T,
) -> std::io::Result<()> {
    use crossterm::event::{poll, read};
    std::thread::spawn(move || {
        let mut burst = crate::input::burst::Burst::default();
        let mut out = Vec::new();
        while let Ok(first) = read() {
            burst.push(first, &mut out);
            // Everything already queued belongs to the same burst.
            while poll(std::time::Duration::ZERO).unwrap_or(false) {
                match read() {
                    Ok(event) => burst.push(event, &mut out),
                    Err(_) => break,
                }
            }
            burst.flush(&mut out);
            for input in out.drain(..) {
                if tx.send(wrap(input)).is_err() {
                    return;
                }
            }
        }
        let _ = tx.send(ended);
    });
    Ok(())
}
