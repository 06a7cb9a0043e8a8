"""`dangjian report`: the leadership report of the jilin-health-2019 seeds, as HTML rendered
by the real headless Chromium and as PDF read back with pdftotext."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from .conftest import ORGS, headless


def test_html_report_holds_the_grades_units_ranking_and_lists(runs):
    result = runs("report", "--run", "1", "--orgs", ORGS, "--db", "runs.db", "--out", "报告.html")
    assert result.exit_code == 0, result.output
    assert "已写入批次 1 的评分报告到 报告.html" in result.stderr
    html = Path("报告.html").read_text(encoding="utf-8")
    assert "2019年度吉林省卫生健康委党组织书记抓基层党建述职评议考核" in html
    # the chart: one bar per grade, best first, each labelled with its count and share
    chart = html[html.index("<svg"):html.index("</svg>")]
    assert chart.count("<rect") == 4
    assert re.findall(r'class="value">([^<]+)<', chart) == [
        "34个（61.8%）", "16个（29.1%）", "3个（5.5%）", "2个（3.6%）"]
    assert "<h3>省第一人民医院党委（4个：好2个、较好2个）</h3>" in html
    # equal totals share rank 11, the next is 13, in the batch and in the unit (4, 4, 6)
    assert "<td class=num>11（并列）</td><td>财务处党支部</td>" in html
    assert "<td class=num>11（并列）</td><td>省妇幼保健院党委</td>" in html
    assert "<td class=num>13</td><td>法规处党支部</td>" in html
    assert "<h3>约谈（5个）</h3>" in html and "<h3>问责（1个）</h3>" in html
    assert "省卫生健康信息中心党支部" in html.split("<h3>问责（1个）</h3>")[1].split("</table>")[0]
    assert "党风廉政建设出现问题" in html.split('id="vetoes"')[1]
    assert "年度考核优秀等次：21个不得评定" in html
    assert "本批次没有被拒绝的行" in html
    assert not re.search(r"""(src|href)=["']?https?:""", html), "nothing may load from the net"
    assert "<script" not in html and "@import" not in html and "@page { size: A4" in html


def test_the_report_renders_in_headless_chromium(runs, chromium, tmp_path):
    runs("report", "--run", "2", "--compare", "1", "--orgs", ORGS, "--db", "runs.db",
         "--out", "报告.html")
    page = (tmp_path / "报告.html").as_uri()
    dom = headless(chromium, tmp_path / "profile", "--dump-dom", page)
    text = dom.stdout.decode("utf-8")
    assert dom.returncode == 0 and "<svg" in text
    assert re.findall(r'class="label">([^<]+)<', text) == ["好", "较好", "一般", "差"]
    assert "上升 1 个，下降 6 个，不变 48 个" in text
    shot = tmp_path / "report.png"
    done = headless(chromium, tmp_path / "profile", "--window-size=900,1800", "--hide-scrollbars",
                    f"--screenshot={shot}", page)
    assert done.returncode == 0 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 50_000  # a page of text and a chart, not a blank viewport


def test_pdf_report_is_a4_and_its_text_has_the_counts_names_and_moves(runs, chromium, pdftotext):
    result = runs("report", "--run", "2", "--compare", "1", "--orgs", ORGS, "--db", "runs.db",
                  "--out", "报告.pdf")
    assert result.exit_code == 0, result.output
    info = subprocess.run(["pdfinfo", "报告.pdf"], capture_output=True, text=True, check=True)
    assert "(A4)" in info.stdout
    text = subprocess.run([pdftotext, "-layout", "报告.pdf", "-"], capture_output=True,
                          text=True, check=True).stdout
    for count in ("30个（54.5%）", "19个（34.5%）", "4个（7.3%）", "2个（3.6%）"):
        assert count in text
    moved = text.split("等次上升（1个）")[1]
    assert re.search(r"体制改革处党支部\s+省卫生健康委机关党委\s+较好（86.60）\s+好（97.43）\s+38 → 1",
                     moved)
    down = text.split("等次下降（6个）")[1]
    assert re.search(r"财务处党支部\s+省卫生健康委机关党委\s+好（94.22）\s+较好（86.72）\s+11 → 34",
                     down)
    rejects = text.split("被拒绝的行")[-1]
    assert "jl-b99" in rejects and "上级党组织评议" in rejects and "inputs.superior" not in rejects


def test_without_units_the_report_says_how_to_get_them(flat):
    flat("report", "--db", "flat.db", "--out", "报告.html")
    html = Path("报告.html").read_text(encoding="utf-8")
    assert "评分数据中没有上级组织" in html and "<h3>全部组织（55个" in html


def test_pdf_without_chromium_is_a_clear_chinese_error(runs):
    result = runs("report", "--db", "runs.db", "--out", "报告.pdf",
                  env={"DANGJIAN_CHROMIUM": "/nonexistent/chromium"})
    assert result.exit_code == 1 and "生成 PDF 需要 Chromium 浏览器" in result.stderr
    assert "Traceback" not in result.output and not Path("报告.pdf").exists()


def test_bad_output_or_run_is_a_clear_error(runs):
    result = runs("report", "--db", "runs.db", "--out", "报告.docx")
    assert result.exit_code == 1 and "不支持的报告文件类型" in result.stderr
    result = runs("report", "--db", "runs.db", "--run", "9", "--out", "报告.html")
    assert result.exit_code == 1 and "没有编号为 9 的评分批次" in result.stderr
    result = runs("report", "--db", "runs.db", "--compare", "2", "--out", "报告.html")
    assert result.exit_code == 1 and "--compare 2 就是要报告的批次" in result.stderr


def test_a_whatif_is_shown_beside_the_run(runs):
    """On-site 60% / superior 40% with 好 from 92: only 省医学会党支部 (92.11 → 91.52) drops to
    较好 and loses the 优秀 rating; the run's own results above are unchanged."""
    result = runs("report", "--run", "1", "--db", "runs.db", "--out", "推演.html",
                  "--set", "components.onsite.weight=0.6", "--set", "components.superior.weight=0.4",
                  "--set", "bands.好.min=92")
    assert result.exit_code == 0, result.output
    html = Path("推演.html").read_text(encoding="utf-8")
    whatif = html.split('id="whatif"')[1]
    assert "可比较 55 个，等次变化 1 个（上升 0 个，下降 1 个），不可比较 0 个" in whatif
    assert ("<tr><td>年度考核优秀等次</td><td>失去资格</td><td class=num>1</td>"
            "<td>省医学会党支部</td></tr>") in whatif
    assert "<td>省医学会党支部</td><td>好（92.11）</td><td>较好（91.52）</td>" in whatif
    assert re.findall(r'class="value">([^<]+)<', html)[:1] == ["34个（61.8%）"]
