//! The clerk's quarter-to-quarter workflow (issue 14): `init --from` rolls each seed fixture
//! into a next quarter that `check` accepts; `watch` re-renders on every save and prints the
//! check result each time.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use common::{root, scratch, stderr, tongbao, FIXTURES};

/// Copy a fixture into `dir`; returns its path there.
fn copy_fixture(name: &str, dir: &Path) -> String {
    let to = dir.join(format!("{name}.yaml"));
    std::fs::copy(root().join("fixtures").join(format!("{name}.yaml")), &to).unwrap();
    to.to_str().unwrap().to_string()
}

#[test]
fn init_from_each_seed_fixture_gives_a_file_check_accepts() {
    let dir = scratch("roll-seeds");
    for (name, next) in FIXTURES.iter().zip([
        "seed-000-2021Q3.yaml",
        "seed-002-2023Q3.yaml",
        "seed-004-2023Q3.yaml",
    ]) {
        let old = copy_fixture(name, &dir);
        let o = tongbao(&["init", "--from", &old]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
        let rolled = dir.join(next);
        assert_eq!(
            String::from_utf8_lossy(&o.stdout).trim(),
            rolled.to_str().unwrap(),
            "{name}: the new file's path is printed"
        );
        let text = std::fs::read_to_string(&rolled).unwrap();
        assert!(text.contains("  number: 3"), "{name}: quarter advanced");
        assert!(text.contains(&format!("previous: {name}.yaml")), "{name}");
        assert!(!text.contains("stated:"), "{name}: stated figures left");
        let items = text
            .lines()
            .filter(|l| l.trim_start().starts_with("- {unit:"));
        for line in items {
            for gone in ["score:", "rank:", "result:", "d: {"] {
                assert!(!line.contains(gone), "{name}: {gone} left in {line}");
            }
        }
        let o = tongbao(&["check", rolled.to_str().unwrap()]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(0), "{name}: {err}");
        assert!(err.contains("0 个错误，0 处与数据矛盾"), "{name}: {err}");
        // Rolling never overwrites: the new file is there now.
        assert_eq!(
            tongbao(&["init", "--from", &old]).status.code(),
            Some(1),
            "{name}"
        );
    }
}

/// `-o` into another folder: `previous:` still finds the old file (relative to the new one).
#[test]
fn init_from_into_another_folder_names_the_old_file_from_there() {
    let dir = scratch("roll-elsewhere");
    let old = copy_fixture("seed-002", &dir);
    let new = dir.join("2023").join("第三季度.yaml");
    let o = tongbao(&["init", "--from", &old, "-o", new.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(&new).unwrap();
    assert!(text.contains("previous: ../seed-002.yaml"), "{text}");
    let o = tongbao(&["check", new.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// Tiers given as input (no tier rules) are the clerk's, kept with a note, so the prose written
/// around them ({{sites.tiers.0.count}}) still has values.
#[test]
fn init_from_keeps_tiers_given_as_input() {
    let dir = scratch("roll-tiers");
    let old = copy_fixture("tier-category", &dir);
    let o = tongbao(&["init", "--from", &old]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("等次（tier）保留了上一季度的"));
    let new = dir.join("tier-category-2024Q3.yaml");
    assert!(std::fs::read_to_string(&new)
        .unwrap()
        .contains("tier: 维护较好"));
    let o = tongbao(&["check", new.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// A monthly file rolls to the next month; the last month's 合格/不合格 counts are dropped, so
/// the new month's come from its items.
#[test]
fn init_from_rolls_a_month() {
    let dir = scratch("roll-month");
    let old = copy_fixture("passfail-counted", &dir);
    let o = tongbao(&["init", "--from", &old]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let new = dir.join("passfail-counted-2024-10.yaml");
    let text = std::fs::read_to_string(&new).unwrap();
    for want in [
        "  month: 10",
        "  from: 2024-10-10",
        "  to: 2024-10-28",
        "  date: 2024-11-12",
    ] {
        assert!(text.contains(want), "{want:?} not in\n{text}");
    }
    assert!(!text.contains("failed: 2"), "{text}");
    let o = tongbao(&["check", new.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// `init --items` on a sheet whose rows mark indicators 不考核 and give no score: a formula for
/// each set of 不考核 columns, so the draft checks and renders as written.
#[test]
fn init_items_drafts_a_formula_for_each_set_of_not_assessed_columns() {
    let dir = scratch("items-not-assessed");
    let sheet = dir.join("2024年第二季度检查结果.csv");
    std::fs::write(
        &sheet,
        "序号,主办单位,账号名称,平台,周扫描,季度检查,互动回应\n\
         1,区教委,教育发布,微信,1,2,不考核\n\
         2,区民政局,民政发布,微博,,3,1\n\
         3,甲镇,甲镇发布,抖音,2,不考核,不考核\n",
    )
    .unwrap();
    let draft = dir.join("q.yaml");
    let o = tongbao(&[
        "init",
        "--items",
        sheet.to_str().unwrap(),
        "-o",
        draft.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(&draft).unwrap();
    assert!(
        text.contains("when_not_assessed: [季度检查, 互动回应]"),
        "{text}"
    );
    assert!(text.contains("when_not_assessed: [互动回应]"), "{text}");
    let o = tongbao(&["check", draft.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = tongbao(&[
        "render",
        draft.to_str().unwrap(),
        "--format",
        "txt",
        "-o",
        "-",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let txt = String::from_utf8_lossy(&o.stdout);
    // 甲镇: 100 − 周扫描 2 = 98, first.
    assert!(
        txt.contains("3\t甲镇\t甲镇发布\t抖音\t2\t不考核\t不考核\t98\t合格\t1"),
        "{txt}"
    );
}

/// The watcher's standard error, line by line.
struct Watch {
    child: Child,
    lines: Receiver<String>,
    seen: Vec<String>,
}

/// No single step of a watch run takes this long: a bound against a hang, not a pause.
const PATIENCE: Duration = Duration::from_secs(60);

impl Watch {
    fn start(file: &Path) -> Watch {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tongbao"))
            .args(["watch", file.to_str().unwrap(), "--format", "txt"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, lines) = mpsc::channel();
        let err = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Watch {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Read lines until one contains `needle` and `done()` holds; the lines read.
    fn until(&mut self, needle: &str, done: impl Fn() -> bool) -> Vec<String> {
        let start = Instant::now();
        let mut got = Vec::new();
        loop {
            let left = PATIENCE.saturating_sub(start.elapsed());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    let hit = line.contains(needle);
                    got.push(line);
                    if hit && done() {
                        return got;
                    }
                }
                Err(_) => panic!(
                    "watch printed no “{needle}” in {PATIENCE:?}:\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn watch_re_renders_each_save_and_prints_the_check_result() {
    let dir = scratch("watch");
    let file = dir.join("q.yaml");
    let example = std::fs::read_to_string(root().join("fixtures/example.yaml")).unwrap();
    std::fs::write(&file, &example).unwrap();
    let txt = dir.join("q.txt");
    let has = |phrase: &'static str| {
        let txt = txt.clone();
        move || std::fs::read_to_string(&txt).is_ok_and(|t| t.contains(phrase))
    };
    let mut w = Watch::start(&file);
    let first = w.until("已生成", has("合格率83.3%"));
    assert!(
        first
            .iter()
            .any(|l| l.contains("q.yaml：0 个错误，0 处与数据矛盾")),
        "{first:?}"
    );

    // Saved in place: 乙镇 loses its deductions, the rate is unchanged but its score is 100.
    std::fs::write(
        &file,
        example.replace("d: {周扫描: 4, 政策解读: 2}, problems", "problems"),
    )
    .unwrap();
    let second = w.until("已生成", has("乙镇专栏\t否\t\t\t\t\t\t100"));
    assert!(second.iter().any(|l| l.contains("0 个错误")), "{second:?}");

    // Saved as editors do, a new file renamed over the old one, with a type error: reported
    // with its place, and the files of the last good save stay.
    let tmp = dir.join(".q.yaml.swp");
    std::fs::write(&tmp, example.replace("year: 2024", "year: 二〇二四")).unwrap();
    std::fs::rename(&tmp, &file).unwrap();
    let third = w.until("未生成文件", || true);
    let text = third.join("\n");
    assert!(text.contains("q.yaml:21:9: 错误: quarter.year"), "{text}");
    assert!(text.contains("q.yaml：1 个错误"), "{text}");
    assert!(has("乙镇专栏\t否\t\t\t\t\t\t100")());

    // Corrected: written again.
    std::fs::write(&file, &example).unwrap();
    w.until("已生成", has("合格率83.3%"));
}
