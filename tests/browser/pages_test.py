#!/usr/bin/python3
"""The pages in a real browser (headless Chromium through chromium-driver and python3-selenium,
both from Debian): an officer signs in with a one-time link, opens a new weekly progress report,
types a progress the validators refuse, sees why next to the field, fixes it in place and submits;
the group's receipt arrives at a fake platform and the report is stored once. Another officer's
draft begun in the console is finished on the page, returned by a coordinator (in the console) and
revised on the page with the comment beside it. axe-core checks every page; screenshots at 360 and
1280 px go to ARTIFACTS. No request leaves 127.0.0.1.

Usage: pages_test.py LIAISON_BOT SOURCE_DIR ARTIFACTS
"""
import http.server
import json
import os
import re
import socket
import sqlite3
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.support.ui import Select, WebDriverWait

EXE, SRC, ARTIFACTS = sys.argv[1], sys.argv[2], sys.argv[3]
SECRET = "browser-test-secret-0123456789"
# axe-core as pinned in tests/browser/package-lock.json (.ci/test installs it with npm ci).
AXE_FILE = os.path.join(SRC, "tests/browser/node_modules/axe-core/axe.min.js")
RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ["violations"]})
  .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length}))))
  .catch(e => done([{id: "axe-error", impact: "critical", help: String(e), nodes: 0}]));
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Fake(http.server.BaseHTTPRequestHandler):
    """The platform: records what the bot posts (the group's receipt)."""
    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        Fake.received.append(json.loads(body))
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"ok":true}')

    def log_message(self, *args):
        pass


def check(condition, what):
    if not condition:
        raise AssertionError(what)


def shows(driver, text, what):
    """Waits (a click's navigation may still be under way) until the page shows `text`."""
    try:
        WebDriverWait(driver, 10, ignored_exceptions=(StaleElementReferenceException,)).until(
            lambda d: text in d.page_source or text in d.find_element(By.TAG_NAME, "body").text)
    except Exception:
        body = driver.find_element(By.TAG_NAME, "body").text[:400]
        raise AssertionError(f"{what}: {text!r} not on {driver.current_url}: {body!r}")


def accessible(driver, page):
    """No serious or critical accessibility violation on the page now shown (axe-core)."""
    with open(AXE_FILE, encoding="utf-8") as f:
        driver.execute_script(f.read())
    violations = driver.execute_async_script(RUN_AXE)
    bad = [v for v in violations if v["impact"] in ("serious", "critical")]
    check(not bad, f"{page}: accessibility violations {bad}")
    return [v["id"] for v in violations]


def new_report(driver, exe, config, env, port, db):
    """A new weekly progress report: a typo refused next to its field, fixed in place, filed once."""
    link = subprocess.run([exe, "web-link", "--as", "张三", "--config", config], env=env,
                          capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
    check(re.fullmatch(rf"http://127\.0\.0\.1:{port}/app/signin\?t=[A-Za-z0-9_-]{{43}}", link), link)
    # The link's page signs in by itself (its script posts the form) and lands on 我的报告.
    driver.get(link)
    driver.find_element(By.LINK_TEXT, "新建报告")
    shows(driver, "张三,您好", "not signed in as 张三")
    driver.save_screenshot(os.path.join(ARTIFACTS, "mine-360.png"))
    minor = accessible(driver, "我的报告")
    driver.find_element(By.LINK_TEXT, "新建报告").click()
    driver.find_element(By.LINK_TEXT, "工作进度周报").click()
    driver.find_element(By.NAME, "f.task").send_keys("加装电梯民生实事")
    driver.find_element(By.NAME, "f.progress").send_keys("六十")
    Select(driver.find_element(By.NAME, "f.status")).select_by_value("on_track")
    driver.find_element(By.NAME, "f.next_week").send_keys("完成土建,启动安装")
    check(Select(driver.find_element(By.NAME, "f.unit")).first_selected_option.get_attribute("value")
          == "xingfuli", "the officer's own unit is not the default")
    driver.find_element(By.CSS_SELECTOR, "button[value=submit]").click()
    # Refused next to the field, in the chat's words; what was typed is still there to fix.
    error = driver.find_element(By.CSS_SELECTOR, ".field.invalid .error")
    check(error.text.strip() != "", "no reason shown for the refused progress")
    driver.save_screenshot(os.path.join(ARTIFACTS, "form-error-360.png"))
    minor += accessible(driver, "the form with an error")
    progress = driver.find_element(By.NAME, "f.progress")
    check(progress.get_attribute("value") == "六十", "what was typed is gone")
    check(driver.find_element(By.NAME, "f.task").get_attribute("value") == "加装电梯民生实事", "lost an answer")
    progress.clear()
    progress.send_keys("60")
    driver.find_element(By.CSS_SELECTOR, "button[value=submit]").click()
    done = driver.find_element(By.CSS_SELECTOR, "p.done").text
    check(re.search(r"已提交,编号 R-\d{4}-0001", done), done)
    driver.save_screenshot(os.path.join(ARTIFACTS, "filed-360.png"))
    minor += accessible(driver, "filed")
    driver.find_element(By.LINK_TEXT, "返回我的报告").click()
    driver.set_window_size(1280, 900)
    shows(driver, "待审核", "the report is not listed as waiting for review")
    driver.save_screenshot(os.path.join(ARTIFACTS, "mine-1280.png"))
    minor += accessible(driver, "我的报告 at 1280 px")
    rows = sqlite3.connect(db).execute("SELECT count(*), author_id FROM reports").fetchone()
    check(rows == (1, "zhangsan"), f"stored: {rows}")
    return minor


def live_hints(driver, base, db):
    """While typing, the draft is saved and the 快 · 实 · 新 hints appear beside the form; acting on
    one (figures in the results) takes it away, with no button pressed."""
    driver.set_window_size(360, 800)
    driver.get(base + "/app/form?template=liaison_info")
    # An item shown only for some answers appears and goes as they are chosen.
    detail = driver.find_element(By.CSS_SELECTOR, ".field[data-field=issue_detail]")
    check(not detail.is_displayed(), "问题与建议 shown before a 问题建议 is chosen")
    Select(driver.find_element(By.NAME, "f.kind")).select_by_value("issue")
    WebDriverWait(driver, 10).until(lambda d: detail.is_displayed())
    Select(driver.find_element(By.NAME, "f.kind")).select_by_value("practice")
    WebDriverWait(driver, 10).until(lambda d: not detail.is_displayed())
    driver.find_element(By.NAME, "f.title").send_keys("社区开展主题党日活动")
    results = driver.find_element(By.NAME, "f.results")
    results.send_keys("效果良好,反响热烈。")
    live = driver.find_element(By.ID, "live")
    try:
        WebDriverWait(driver, 10).until(lambda d: "还没有具体数字" in live.text)
    except Exception:
        probe = driver.execute_async_script("""
            var done = arguments[0];
            var report = document.querySelector("form.report");
            var body = new URLSearchParams(new FormData(report));
            body.set("action", "check");
            fetch(report.getAttribute("action"), {method: "POST", body: body, credentials: "same-origin"})
              .then(function (r) { return r.text().then(function (t) { done(r.status + " " + t); }); })
              .catch(function (e) { done("error " + e); });""")
        raise AssertionError(f"no live hint: {live.text!r}, probe {probe!r}, browser log {driver.get_log('browser')}")
    check("草稿已自动保存" in live.text, f"the draft is not said to be saved: {live.text!r}")
    driver.save_screenshot(os.path.join(ARTIFACTS, "live-hints-360.png"))
    minor = accessible(driver, "the form with live hints")
    results.send_keys("参加党员 46 人,收集意见 12 条。")
    WebDriverWait(driver, 10).until(lambda d: "46 人" in (sqlite3.connect(db).execute(
        "SELECT group_concat(state) FROM sessions").fetchone()[0] or ""))
    WebDriverWait(driver, 10).until(lambda d: "还没有具体数字" not in live.text)
    # A photo picked on the phone: uploaded at once, shown from the service (img-src 'self').
    path = os.path.join(ARTIFACTS, "photo.png")
    with open(path, "wb") as f:
        f.write(tiny_png())
    driver.find_element(By.ID, "field-photos").send_keys(path)
    WebDriverWait(driver, 10).until(lambda d: d.execute_script(
        "var i = document.querySelector('ul.photos li.photo img'); return i && i.complete && i.naturalWidth > 0;"))
    check("照片已添加" in driver.find_element(By.CSS_SELECTOR, "p.photo-status").text, "no word of the photo")
    driver.execute_script("document.querySelector('ul.photos').scrollIntoView({block: 'start'});")
    driver.save_screenshot(os.path.join(ARTIFACTS, "photo-360.png"))
    minor += accessible(driver, "the form with a photo")
    stored = sqlite3.connect(db).execute("SELECT mime, person_id FROM web_uploads").fetchall()
    check(stored == [("image/png", "zhangsan")], f"uploads: {stored}")
    return minor


def tiny_png():
    """A 24 x 24 red PNG, written here (no image library needed)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\xc0\x20\x20" * 24 for _ in range(24))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 24, 24, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def console(exe, config, env, person, lines):
    """`liaison-bot console --as PERSON` typing LINES; its output."""
    return subprocess.run([exe, "console", "--as", person, "--config", config], env=env, input="\n".join(lines) + "\n",
                          capture_output=True, text=True, check=True).stdout


def console_draft_and_revision(driver, exe, config, env, db):
    """A draft begun in the console is finished on the page; returned, it is revised on the page
    with the comment beside it."""
    console(exe, config, env, "李四", ["填报 工作进度周报", "课后服务提质增效"])
    link = subprocess.run([exe, "web-link", "--as", "李四", "--console", "--config", config], env=env,
                          capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
    driver.set_window_size(360, 800)
    driver.get(link)
    driver.find_element(By.LINK_TEXT, "新建报告").click()
    driver.find_element(By.PARTIAL_LINK_TEXT, "继续填写聊天中的草稿").click()
    check(driver.find_element(By.NAME, "f.task").get_attribute("value") == "课后服务提质增效",
          "the console's answer is not in the form")
    driver.find_element(By.NAME, "f.progress").send_keys("40")
    Select(driver.find_element(By.NAME, "f.status")).select_by_value("on_track")
    driver.find_element(By.NAME, "f.next_week").send_keys("完成课程表")
    driver.find_element(By.CSS_SELECTOR, "button[value=submit]").click()
    number = re.search(r"R-\d{4}-\d{4}", driver.find_element(By.CSS_SELECTOR, "p.done").text).group(0)
    said = console(exe, config, env, "孙红", [f"退回 {number} 请补充PPT和具体数据 Part B"])
    check("已退回" in said, said)
    driver.get(driver.current_url.split("/app/")[0] + "/app/")
    shows(driver, "审核意见:请补充PPT和具体数据 Part B", "the comment is not on 我的报告")
    driver.find_element(By.CSS_SELECTOR, "form.inline button").click()
    shows(driver, "正在修改 " + number, "the form is not the revision")
    progress = driver.find_element(By.NAME, "f.progress")
    progress.clear()
    progress.send_keys("80")
    driver.save_screenshot(os.path.join(ARTIFACTS, "revision-360.png"))
    minor = accessible(driver, "the revision")
    driver.find_element(By.CSS_SELECTOR, "button[value=submit]").click()
    check(number in driver.find_element(By.CSS_SELECTOR, "p.done").text, "the revision was not filed")
    revisions = sqlite3.connect(db).execute(
        "SELECT count(*) FROM report_revisions r JOIN reports p ON p.id = r.report_id WHERE p.number = ?",
        (number,)).fetchone()[0]
    check(revisions == 2, f"revisions of {number}: {revisions}")
    return minor


def roster(work):
    """The demo roster with a coordinator of 和平街道 only (the desk's scope)."""
    with open(f"{SRC}/seeds/roster.jsonc", encoding="utf-8") as f:
        text = f.read()
    person = ('{ "id": "hpcoord", "name": "和平协调员", "role": "coordinator", "scope": ["heping"],'
              ' "accounts": [{ "bot": "demo", "user": "u-hpcoord" }] },')
    text = text.replace('"people": [', '"people": [' + person, 1)
    path = os.path.join(work, "roster.jsonc")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def web_link(exe, config, env, person):
    return subprocess.run([exe, "web-link", "--as", person, "--config", config], env=env,
                          capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]


def decide_here(driver, action, comment=None, level=None, venue=None):
    """Fills the decision form of the page shown (the list's or a report's) and applies it."""
    Select(driver.find_element(By.NAME, "action")).select_by_value(action)
    if comment is not None:
        driver.find_element(By.NAME, "comment").send_keys(comment)
    if level is not None:
        Select(driver.find_element(By.NAME, "level")).select_by_value(level)
    if venue is not None:
        driver.find_element(By.NAME, "venue").send_keys(venue)
    driver.find_element(By.CSS_SELECTOR, "form[action='/app/desk/decide'] button.primary").click()
    return driver.find_element(By.CSS_SELECTOR, "ul.outcomes").text


def desk(driver, exe, config, env, base, db):
    """The coordinators' desk: sign in → the queue → search by a phrase of a report's body → return
    with a comment (the author told at the fake platform) → the author revises on the page → the
    revision beside the one before → approve from the list → adopt. A hostile title stays text; a
    coordinator of 和平街道 cannot open 幸福里社区's report by URL; a decision without the CSRF token is
    refused."""
    hostile = '<img src=x onerror="window.__pwned=1">红色物业"议事"</script>'
    said = console(exe, config, env, "王五", ["填报 工作进度周报", hostile, "60%", "推进中", "下周继续推进议事", "跳过", "提交"])
    check("R-" in said, said)
    number = sqlite3.connect(db).execute(
        "SELECT number FROM reports WHERE author_id = 'zhangsan' AND template_id = 'weekly_progress'").fetchone()[0]
    driver.set_window_size(1280, 900)
    driver.get(web_link(exe, config, env, "孙红"))
    shows(driver, "审核台", "a coordinator does not land on the desk")
    shows(driver, number, "the queue does not list 张三's report")
    check(driver.execute_script("return window.__pwned") is None, "a title ran as script")
    shown = driver.find_element(By.CSS_SELECTOR, "table.desk").text
    check('<img src=x onerror="window.__pwned=1">红色' in shown, f"the hostile title is not shown as text: {shown!r}")
    driver.save_screenshot(os.path.join(ARTIFACTS, "desk-1280.png"))
    minor = accessible(driver, "审核台")
    driver.set_window_size(360, 800)
    driver.save_screenshot(os.path.join(ARTIFACTS, "desk-360.png"))
    minor += accessible(driver, "审核台 at 360 px")
    driver.set_window_size(1280, 900)
    # What is typed into the search comes back as text in the box, never as markup.
    for typed in ('"><img src=x onerror="window.__pwned=2">', "</textarea><script>window.__pwned=3</script>",
                  "javascript:window.__pwned=4", "' OR 1=1 --", "* NEAR(红色 物业)"):
        box = driver.find_element(By.NAME, "q")
        box.clear()
        box.send_keys(typed)
        box.submit()
        shows(driver, "审核台", "the desk after a hostile search")
        check(driver.find_element(By.NAME, "q").get_attribute("value") == typed, f"the search box lost {typed!r}")
        check(driver.execute_script("return window.__pwned") is None, f"{typed!r} ran as script")
    driver.find_element(By.NAME, "q").clear()
    # Search by a phrase of the body (张三's 下周计划), in the search box.
    box = driver.find_element(By.NAME, "q")
    box.send_keys("启动安装")
    Select(driver.find_element(By.NAME, "status")).select_by_value("")
    box.submit()
    shows(driver, number, "search by a phrase of the body")
    rows = driver.find_elements(By.CSS_SELECTOR, "table.desk tbody tr")
    check(len(rows) == 1, f"search found {len(rows)} reports")
    driver.find_element(By.LINK_TEXT, number).click()
    before = len(Fake.received)
    told = decide_here(driver, "return", comment="请补充PPT和具体数据 <b>B</b>")
    check(f"{number}:已退回,已通知报送人" in told, told)
    deadline = time.time() + 10
    while time.time() < deadline and not any("请补充PPT和具体数据 <b>B</b>" in m.get("text", "") for m in Fake.received[before:]):
        time.sleep(0.1)
    check(any("请补充PPT和具体数据 <b>B</b>" in m.get("text", "") for m in Fake.received[before:]),
          f"the author was not told: {Fake.received[before:]}")
    # The author revises on the page.
    driver.get(web_link(exe, config, env, "张三"))
    shows(driver, "审核意见:请补充PPT和具体数据 <b>B</b>", "the comment is not on 我的报告")
    driver.find_element(By.CSS_SELECTOR, "form.inline button").click()
    shows(driver, "正在修改 " + number, "the form is not the revision")
    progress = driver.find_element(By.NAME, "f.progress")
    progress.clear()
    progress.send_keys("85")
    driver.find_element(By.CSS_SELECTOR, "button[value=submit]").click()
    check(number in driver.find_element(By.CSS_SELECTOR, "p.done").text, "the revision was not filed")
    # Side by side, then approved from the list and adopted on its page.
    driver.get(web_link(exe, config, env, "孙红"))
    driver.get(f"{base}/app/desk/report/{number}")
    shows(driver, "第 1 版与第 2 版对照", "the revisions are not side by side")
    check(driver.find_element(By.CSS_SELECTOR, "tr.changed del").text == "60", "the old progress is not struck")
    check(driver.find_element(By.CSS_SELECTOR, "tr.changed ins").text == "85", "the new progress is not marked")
    driver.save_screenshot(os.path.join(ARTIFACTS, "desk-report-1280.png"))
    minor += accessible(driver, "a report on the desk")
    driver.get(f"{base}/app/desk")
    driver.find_element(By.CSS_SELECTOR, f"input[type=checkbox][value='{number}']").click()
    done = decide_here(driver, "approve")
    check(f"{number}:已通过" in done, done)
    minor += accessible(driver, "the outcome")
    driver.get(f"{base}/app/desk/units?span=year")
    check(not driver.find_elements(By.CSS_SELECTOR, "svg.chart"), "a chart of points before any adoption")
    driver.get(f"{base}/app/desk/report/{number}")
    done = decide_here(driver, "adopt", level="市级", venue="《组工信息》第 3 期")
    check(f"{number}:已采用" in done, done)
    # The ranking and its chart change: 幸福里社区 has a bar of 3 points (市级).
    driver.get(f"{base}/app/desk/units?span=year")
    chart = driver.find_element(By.CSS_SELECTOR, "svg.chart")
    check("幸福里社区" in chart.text and "3" in chart.text, f"the chart: {chart.text!r}")
    check(chart.size["width"] > 200 and chart.size["height"] > 10, f"the chart is not drawn: {chart.size}")
    driver.save_screenshot(os.path.join(ARTIFACTS, "desk-units-1280.png"))
    minor += accessible(driver, "units compared")
    driver.set_window_size(360, 800)
    driver.save_screenshot(os.path.join(ARTIFACTS, "desk-units-360.png"))
    driver.set_window_size(1280, 900)
    # 本期进度, through the desk's navigation: each report type's period with its bar.
    driver.find_element(By.CSS_SELECTOR, "nav.desk-nav a[href='/app/desk/progress']").click()
    shows(driver, "工作进度周报 · ", "this period's board")
    check(driver.find_elements(By.CSS_SELECTOR, "ul.boards progress"), "the board's bars")
    driver.save_screenshot(os.path.join(ARTIFACTS, "desk-progress-1280.png"))
    minor += accessible(driver, "this period")
    # 周报 and 绑定申请, the rest of what a coordinator says in chat.
    driver.find_element(By.CSS_SELECTOR, "nav.desk-nav a[href='/app/desk/digest']").click()
    shows(driver, "【联络工作周报】", "the digest")
    driver.save_screenshot(os.path.join(ARTIFACTS, "desk-digest-1280.png"))
    minor += accessible(driver, "the digest")
    driver.find_element(By.CSS_SELECTOR, "nav.desk-nav a[href='/app/desk/bindings']").click()
    shows(driver, "没有待确认的绑定申请", "the binding requests")
    minor += accessible(driver, "the binding requests")
    driver.get(f"{base}/app/desk/units?span=year")
    driver.find_element(By.CSS_SELECTOR, "table.units a[href='/app/desk/unit/xingfuli']").click()
    shows(driver, "近 12 个月报送篇数", "the unit's trend")
    check(len(driver.find_elements(By.CSS_SELECTOR, "svg.chart")) == 2, "the unit's two charts")
    driver.save_screenshot(os.path.join(ARTIFACTS, "desk-unit-1280.png"))
    minor += accessible(driver, "a unit")
    adopted = sqlite3.connect(db).execute("SELECT level, venue, adopted_by FROM adoptions").fetchall()
    check(adopted == [("市级", "《组工信息》第 3 期", "sunhong")], f"adoptions: {adopted}")
    refused = driver.execute_async_script("""
        var done = arguments[0];
        fetch("/app/desk/decide", {method: "POST", credentials: "same-origin",
              body: new URLSearchParams({csrf: "guess", n: arguments[1] || "", action: "approve"})})
          .then(function (r) { done(r.status); }).catch(function (e) { done(String(e)); });""")
    check(refused == 403, f"a decision without the CSRF token: {refused}")
    # 和平街道's coordinator: 幸福里社区's report is not there, not even by its address.
    driver.get(web_link(exe, config, env, "和平协调员"))
    shows(driver, "审核台", "the scoped coordinator is not on the desk")
    driver.get(f"{base}/app/desk?status=")
    check(number not in driver.page_source, "a report outside the scope is listed")
    driver.get(f"{base}/app/desk/report/{number}")
    shows(driver, "没有这份报告", "a report outside the scope opens by its address")
    driver.get(f"{base}/app/desk/unit/xingfuli")
    shows(driver, "没有这个单位", "a unit outside the scope opens by its address")
    return minor


def main():
    os.makedirs(ARTIFACTS, exist_ok=True)
    fake = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Fake)
    threading.Thread(target=fake.serve_forever, daemon=True).start()
    port = free_port()
    work = tempfile.mkdtemp(prefix="liaison-browser-")
    db = os.path.join(work, "liaison.db")
    config = os.path.join(work, "liaison.jsonc")
    with open(config, "w", encoding="utf-8") as f:
        json.dump({
            "server": {"listen": f"127.0.0.1:{port}"},
            "store": {"path": db},
            "templates_dir": f"{SRC}/templates/data",
            "roster": roster(work),
            "calendar": f"{SRC}/seeds/calendar-cn.jsonc",
            "bots": [{"id": "demo", "platform": "webhook", "secret": "${T_BOT}",
                      "callback_url": f"http://127.0.0.1:{fake.server_address[1]}/liaison"}],
            "scheduler": {"enabled": False},
            "web": {"public_url": f"http://127.0.0.1:{port}"},
        }, f, ensure_ascii=False)
    env = dict(os.environ, T_BOT=SECRET)
    serve = subprocess.Popen([EXE, "serve", "--config", config], env=env, text=True,
                             stdout=subprocess.PIPE, stderr=open(os.path.join(work, "serve.log"), "w"))
    driver = None
    try:
        check("listening on" in serve.stdout.readline(), "the service did not start")
        options = webdriver.ChromeOptions()
        for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=360,800",
                     "--lang=zh-CN", "--no-first-run", "--disable-background-networking"):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        driver.implicitly_wait(5)
        minor = new_report(driver, EXE, config, env, port, db)
        deadline = time.time() + 10
        while time.time() < deadline and not any("R-" in m.get("text", "") for m in Fake.received):
            time.sleep(0.1)
        receipts = [m for m in Fake.received if "R-" in m.get("text", "")]
        check(len(receipts) == 1 and receipts[0]["chat"] == "demo-group", f"the group's receipt: {Fake.received}")
        minor += desk(driver, EXE, config, env, f"http://127.0.0.1:{port}", db)
        driver.get(web_link(EXE, config, env, "张三"))
        minor += live_hints(driver, f"http://127.0.0.1:{port}", db)
        minor += console_draft_and_revision(driver, EXE, config, env, db)
        # Nothing broke the page's own policy (no inline script, nothing from elsewhere).
        csp = [e["message"] for e in driver.get_log("browser") if "Content Security Policy" in e["message"]]
        check(not csp, f"CSP violations: {csp}")
        # (李四's report came from his console draft: the console's replies are its own output.)
        print("browser: signed in, a typo refused and fixed in place, filed once, receipt in the group;"
              " a console draft finished on the page, returned and revised there with the comment;"
              " the desk: queue, search, a return told to the author, the revision side by side, approved"
              " and adopted, the chart of points changed, a hostile title inert, another scope refused by"
              " URL, CSRF refused;"
              f" no serious accessibility violation (minor: {sorted(set(minor)) or 'none'});"
              f" screenshots in {ARTIFACTS}")
    finally:
        if driver is not None:
            driver.quit()
        serve.terminate()
        serve.wait(timeout=10)
        fake.shutdown()


if __name__ == "__main__":
    main()
