"""The course's pictures as self-contained SVG: the 一卡通 workflow and how the sandbox is built."""

from __future__ import annotations

import html

WORKFLOW = (
    ("补贴项目管理", "program set-up", "主管部门·财政"),
    ("信息采集、录入", "collection and entry", "村·乡镇"),
    ("审核、公示", "review and posting", "乡镇·部门·财政"),
    ("发放", "payout", "国库·代发银行"),
    ("失败处理、补发、对账", "failures, re-issue, reconciliation", "部门·财政·银行"),
    ("信息公开、监督检查", "disclosure and supervision", "公开专栏·督导组"),
)
LEAKS = (("冒领", "false claims"), ("截留", "withholding"), ("挪用", "diversion"), ("梗阻", "blockages"))


def workflow_svg(highlight: str | None = None) -> str:
    """The 一卡通 workflow as a self-contained SVG (no network, no plotting library)."""
    box_w, box_h, gap, top = 150, 86, 22, 48
    width = len(WORKFLOW) * (box_w + gap) + gap
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="250" '
             f'viewBox="0 0 {width} 250" font-family="sans-serif">',
             '<defs><marker id="arrow" markerWidth="10" markerHeight="8" refX="9" refY="4" '
             'orient="auto"><path d="M0,0 L10,4 L0,8 z" fill="#555"/></marker></defs>',
             '<text x="12" y="26" font-size="15" font-weight="bold">惠民惠农补贴“一卡通” — '
             'one list, one platform, one card</text>']
    for i, (zh, en, who) in enumerate(WORKFLOW):
        x = gap + i * (box_w + gap)
        fill = "#ffe9a8" if highlight and highlight in (zh, en) else "#e8f0fb"
        parts.append(f'<rect x="{x}" y="{top}" width="{box_w}" height="{box_h}" rx="8" '
                     f'fill="{fill}" stroke="#3b7dd8"/>')
        parts.append(f'<text x="{x + box_w / 2}" y="{top + 24}" font-size="14" text-anchor="middle" '
                     f'font-weight="bold">{html.escape(zh)}</text>')
        parts.append(f'<text x="{x + box_w / 2}" y="{top + 44}" font-size="11" '
                     f'text-anchor="middle">{html.escape(en)}</text>')
        parts.append(f'<text x="{x + box_w / 2}" y="{top + 68}" font-size="11" fill="#666" '
                     f'text-anchor="middle">{html.escape(who)}</text>')
        if i:
            parts.append(f'<line x1="{x - gap}" y1="{top + box_h / 2}" x2="{x - 2}" '
                         f'y2="{top + box_h / 2}" stroke="#555" stroke-width="2" '
                         'marker-end="url(#arrow)"/>')
    y = top + box_h + 40
    parts.append(f'<text x="12" y="{y}" font-size="13">Status chain 状态: 待审核 → 待整改 → 待推送 → '
                 '已推送 → 待发放 → 发放中 → 已发放 / 发放失败 (退票 → 补发)</text>')
    leaks = "   ".join(f"{zh} {en}" for zh, en in LEAKS)
    parts.append(f'<text x="12" y="{y + 30}" font-size="13" fill="#b03a2e">What the checks stop: '
                 f'{html.escape(leaks)}</text>')
    parts.append(f'<text x="12" y="{y + 56}" font-size="12" fill="#555">大数据比对 registry '
                 'matching · 入户核查 home visits · 公示 7-day posting · 退票 bank returns · '
                 '补发 re-issue · 对账 reconciliation</text>')
    parts.append("</svg>")
    return "".join(parts)


def sandbox_svg() -> str:
    """How the sandbox is built: the answer key stays on the platform's side."""
    steps = (("scenario.yaml", "what the trainer sets"), ("World", "people, cards, registries"),
             ("Platform", "holds the truth + banks"), ("Session", "what you see and do"),
             ("Report", "scores and tips"))
    box_w, gap = 150, 26
    width = len(steps) * (box_w + gap) + gap
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="150" '
             f'viewBox="0 0 {width} 150" font-family="sans-serif">']
    for i, (title, note) in enumerate(steps):
        x = gap + i * (box_w + gap)
        fill = "#fdecea" if title == "Platform" else "#eef7ee"
        parts.append(f'<rect x="{x}" y="20" width="{box_w}" height="64" rx="8" fill="{fill}" '
                     'stroke="#555"/>')
        parts.append(f'<text x="{x + box_w / 2}" y="46" font-size="14" font-weight="bold" '
                     f'text-anchor="middle">{title}</text>')
        parts.append(f'<text x="{x + box_w / 2}" y="66" font-size="11" text-anchor="middle">'
                     f'{html.escape(note)}</text>')
        if i:
            parts.append(f'<text x="{x - gap + 4}" y="58" font-size="16">→</text>')
    parts.append('<text x="12" y="120" font-size="12" fill="#b03a2e">The answer key never leaves the '
                 'Platform: your Session only sees what an operator sees (forms, registries, bank '
                 'files).</text></svg>')
    return "".join(parts)
