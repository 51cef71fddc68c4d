"""The files in deploy/: the systemd units pass systemd's own checks, the bot runs within the unit's
system-call filter, and the nginx example parses.

``systemd-analyze verify`` also checks that ExecStart's program exists, and the units name
/opt/dn-faq-bot, which does not exist where tests run. So each unit is verified twice: as shipped,
where the missing program must be the only complaint, and as a copy with the code's paths
pointed at this checkout and this Python, which must pass clean.
"""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

DEPLOY = ROOT / "deploy"
UNITS = ["dn-faq-bot.service", "dn-faq-bot-backup.service", "dn-faq-bot-backup.timer"]
SYSTEMD_ANALYZE = shutil.which("systemd-analyze")
needs_systemd = pytest.mark.skipif(SYSTEMD_ANALYZE is None, reason="systemd-analyze is not installed here")
MAX_EXPOSURE = 3.0


def analyze(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([SYSTEMD_ANALYZE or "systemd-analyze", *args], capture_output=True, text=True, timeout=60)


def local_copy(name: str, folder: Path) -> Path:
    """The unit with /opt/dn-faq-bot pointed at this checkout and its Python (same file name, same settings)."""
    text = (DEPLOY / name).read_text(encoding="utf-8")
    text = text.replace("/opt/dn-faq-bot/.venv/bin/python", sys.executable).replace("/opt/dn-faq-bot", str(ROOT))
    (folder / name).write_text(text, encoding="utf-8")
    return folder / name


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DEPLOY / name, encoding="utf-8")
    return parser


@needs_systemd
@pytest.mark.parametrize("name", UNITS)
def test_units_pass_systemd_analyze_verify(name: str, tmp_path: Path) -> None:
    shipped = analyze("verify", str(DEPLOY / name))
    complaints = [line for line in (shipped.stdout + shipped.stderr).splitlines() if line.strip()]
    assert all("/opt/dn-faq-bot/" in line and "is not executable: No such file or directory" in line for line in complaints), complaints
    for other in UNITS:  # the timer's service sits next to it, as in /etc/systemd/system
        local_copy(other, tmp_path)
    local = analyze("verify", str(tmp_path / name))
    assert local.returncode == 0, local.stdout + local.stderr
    assert (local.stdout + local.stderr).strip() == ""


@needs_systemd
@pytest.mark.parametrize("name", ["dn-faq-bot.service", "dn-faq-bot-backup.service"])
def test_services_are_hardened(name: str) -> None:
    result = analyze("security", "--offline=true", "--no-pager", str(DEPLOY / name))
    assert result.returncode == 0, result.stderr
    match = re.search(r"Overall exposure level for \S+: (\d+\.\d+)", result.stdout)
    assert match, result.stdout[-500:]
    assert float(match.group(1)) <= MAX_EXPOSURE, result.stdout


@needs_systemd
def test_a_bare_unit_is_scored_as_exposed(tmp_path: Path) -> None:
    """The measuring stick works: the same check on an unhardened service scores far above the limit."""
    bare = tmp_path / "bare.service"
    bare.write_text(f"[Service]\nExecStart={sys.executable} {ROOT / 'bot.py'} run\n", encoding="utf-8")
    result = analyze("security", "--offline=true", "--no-pager", str(bare))
    match = re.search(r"Overall exposure level for \S+: (\d+\.\d+)", result.stdout)
    assert match and float(match.group(1)) > 8.0


def test_bot_unit_runs_the_bot_with_the_env_file_and_writes_only_the_data_dir() -> None:
    service = unit("dn-faq-bot.service")["Service"]
    assert service["ExecStart"].endswith("bot.py run")
    assert service["EnvironmentFile"] == "/etc/dn-faq-bot/env"
    assert service["User"] == "dnbot"
    assert service["ReadWritePaths"] == "/var/lib/dn-faq-bot"
    assert service["KillSignal"] == "SIGTERM" and service["RestartPreventExitStatus"] == "2"
    for setting in ("NoNewPrivileges", "PrivateTmp", "ProtectHome", "PrivateDevices"):
        assert service[setting] == "yes", setting
    assert service["ProtectSystem"] == "strict" and service["UMask"] == "0077"


def test_backup_timer_and_cron_run_the_shipped_script() -> None:
    service = unit("dn-faq-bot-backup.service")["Service"]
    assert service["ExecStart"].split()[0] == "/opt/dn-faq-bot/deploy/backup.sh"
    assert service["User"] == "dnbot" and service["Type"] == "oneshot"
    cron = (DEPLOY / "dn-faq-bot-backup.cron").read_text(encoding="utf-8")
    assert re.search(r"^\d+ \d+ \* \* \* dnbot /opt/dn-faq-bot/deploy/backup.sh ", cron, re.M)
    assert (DEPLOY / "backup.sh").stat().st_mode & 0o111, "backup.sh is executable"


def test_nginx_example_matches_the_bots_webhook_defaults() -> None:
    text = (DEPLOY / "nginx-dn-faq-bot.conf").read_text(encoding="utf-8")
    assert "location = /telegram" in text
    assert "proxy_pass http://127.0.0.1:8443/telegram;" in text  # BOT_LISTEN / BOT_PORT defaults, url path 'telegram'
    assert re.search(r"client_max_body_size\s+1m;", text)
    for timeout in ("client_body_timeout", "proxy_connect_timeout", "proxy_read_timeout"):
        assert re.search(rf"{timeout}\s+\d+s;", text), timeout


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed here")
def test_nginx_example_parses(tmp_path: Path) -> None:
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    made = subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "1", "-subj", "/CN=bot.example.org"], capture_output=True, timeout=60,
    )
    assert made.returncode == 0
    site = (DEPLOY / "nginx-dn-faq-bot.conf").read_text(encoding="utf-8")
    site = site.replace("/etc/letsencrypt/live/bot.example.org/fullchain.pem", str(cert))
    site = site.replace("/etc/letsencrypt/live/bot.example.org/privkey.pem", str(key))
    (tmp_path / "site.conf").write_text(site, encoding="utf-8")
    temp = tmp_path / "tmp"
    temp.mkdir()
    paths = " ".join(f"{kind}_temp_path {temp};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path / 'nginx.pid'};\nerror_log {tmp_path / 'error.log'};\nevents {{}}\n"
        f"http {{ access_log off; {paths} include {tmp_path / 'site.conf'}; }}\n",
        encoding="utf-8",
    )
    result = subprocess.run(["nginx", "-t", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def _syscall_set(name: str) -> set[str]:
    """The system calls in a systemd filter group, nested groups expanded."""
    found: set[str] = set()
    for line in analyze("syscall-filter", name).stdout.splitlines()[1:]:
        item = line.strip()
        if item.startswith("@"):
            found |= _syscall_set(item)
        elif item and not item.startswith("#"):
            found.add(item)
    return found


@needs_systemd
@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed here")
def test_the_bot_needs_nothing_the_units_sandbox_forbids(tmp_path: Path) -> None:
    """Run the bot under strace (polling, answering and logging a question): every system call it makes is
    in the unit's SystemCallFilter, and it never maps memory writable and executable (MemoryDenyWriteExecute)."""
    import os
    import signal

    from .fake_bot_api import FakeBotApi

    trace = tmp_path / "trace"
    with FakeBotApi() as api:
        env = {**os.environ, "TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_BASE_URL": api.base_url, "BOT_DATA_DIR": str(tmp_path / "data")}
        tracer = subprocess.Popen(["strace", "-f", "-qq", "-o", str(trace), sys.executable, str(ROOT / "bot.py"), "run"],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            api.wait_for("setMyCommands", timeout=60)
            api.push(api.text_update("what is a trigger point?"), api.text_update("is there parking behind the building"))
            api.wait_for("sendMessage", 2, timeout=30)
        finally:
            children = subprocess.run(["pgrep", "-P", str(tracer.pid)], capture_output=True, text=True).stdout.split()
            for child in children:  # the bot itself: strace would pass the signal on, but not end the bot cleanly
                os.kill(int(child), signal.SIGTERM)
            if not children:
                tracer.terminate()
            tracer.communicate(timeout=60)
    lines = trace.read_text(encoding="utf-8", errors="replace").splitlines()
    used = {m.group(1) for line in lines if (m := re.match(r"\d+ +([a-z0-9_]+)\(", line))}
    assert {"socket", "connect", "pwrite64", "fdatasync"} <= used, "the trace saw the bot talk to the server and write its log"
    allowed = _syscall_set("@system-service")
    assert used - allowed == set()
    # SQLite running as root gives its journal files the database's owner; as dnbot it never calls fchown.
    assert used & _syscall_set("@privileged") <= ({"fchown"} if os.geteuid() == 0 else set())
    assert not [line for line in lines if "PROT_WRITE|PROT_EXEC" in line or re.search(r"mprotect\(.*PROT_EXEC", line)]
