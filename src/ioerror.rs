//! Why a file operation failed, in Chinese: every `io::ErrorKind` a file, folder or pipe can
//! meet, and for anything else the system's error number. The OS's English text ("Is a
//! directory (os error 21)") never reaches a clerk.

use std::io::{Error, ErrorKind};

/// The reason of `e`, in Chinese. Callers that know what was being done (reading the quarter
/// file, writing an output) say "文件不存在" or "目录不存在" themselves and fall back on this.
pub fn reason(e: &Error) -> String {
    use ErrorKind as K;
    let text = match e.kind() {
        K::NotFound => "文件或目录不存在",
        K::PermissionDenied => "没有权限",
        K::IsADirectory => "这是一个文件夹，不是文件",
        K::NotADirectory => "路径中有一段不是文件夹",
        K::AlreadyExists => "已存在同名的文件",
        K::DirectoryNotEmpty => "文件夹不是空的",
        K::StorageFull => "磁盘空间不足（或超出磁盘配额）",
        K::QuotaExceeded => "超出磁盘配额",
        K::FileTooLarge => "文件大小超出限制（ulimit -f 或文件系统的上限）",
        K::ReadOnlyFilesystem => "文件系统是只读的",
        K::ResourceBusy | K::ExecutableFileBusy => "文件正被其他程序占用",
        K::CrossesDevices => "不能跨磁盘（文件系统）移动文件",
        K::TooManyLinks => "链接过多",
        K::InvalidFilename => "文件名无效（过长，或含不允许的字符）",
        K::InvalidData => "文件内容无效（编码或格式有误）",
        K::InvalidInput => "参数无效",
        K::UnexpectedEof => "文件意外结束（可能不完整）",
        K::BrokenPipe => "接收输出的程序已关闭",
        K::WriteZero => "无法再写入数据",
        K::Interrupted => "操作被中断",
        K::TimedOut => "操作超时",
        K::WouldBlock => "资源暂时不可用",
        K::OutOfMemory => "内存不足",
        K::Unsupported => "这个文件系统不支持此操作",
        K::StaleNetworkFileHandle => "网络文件系统上的文件已失效，请重新打开",
        K::NotSeekable => "无法在其中定位（是管道或设备，不是普通文件）",
        K::ArgumentListTooLong => "参数过长",
        K::Deadlock => "文件锁发生死锁",
        K::ConnectionRefused
        | K::ConnectionReset
        | K::ConnectionAborted
        | K::NotConnected
        | K::HostUnreachable
        | K::NetworkUnreachable
        | K::NetworkDown
        | K::AddrInUse
        | K::AddrNotAvailable => "网络连接出错（文件在网络位置上？）",
        _ => {
            return match e.raw_os_error() {
                Some(n) => format!("系统错误（错误码 {n}）"),
                None => "未知的输入输出错误".into(),
            }
        }
    };
    text.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_english_for_any_os_error() {
        // Every error number Linux defines: the text is Chinese (no Latin letter but in the
        // command names the hints cite).
        for n in 1..=133 {
            let text = reason(&Error::from_raw_os_error(n));
            let latin = text
                .replace("ulimit -f", "")
                .chars()
                .any(|c| c.is_ascii_alphabetic());
            assert!(!latin, "os error {n}: {text}");
        }
        assert_eq!(
            reason(&Error::from_raw_os_error(21)),
            "这是一个文件夹，不是文件"
        );
        assert_eq!(reason(&Error::other("x")), "未知的输入输出错误");
        assert_eq!(
            reason(&Error::from_raw_os_error(libc::EPROTO)),
            "系统错误（错误码 71）"
        );
    }
}
