"""The generator's real published shape, synthetic: per day a raw JSONL, an AI-enhanced JSONL and sometimes Markdown.

Used through make_library.py (`--shape real`, or make_real_library). Every text is invented
here: the English pools are make_library's, the CJK pools below were written for this file.
The shape follows the generator's `data` branch: `YYYY-MM-DD.jsonl` (the crawled records:
id, categories, pdf, abs, authors, title, comment, summary) and
`YYYY-MM-DD_AI_enhanced_<Language>.jsonl` (the same records with an `AI` object holding
tldr, motivation, method, result and conclusion) every weekday, English on most days and
Chinese on about a third (CJK summaries, English titles and abstracts, as upstream), and a
Markdown digest in make_library's template on about one day in four. Each day lists 150–500
papers, about 22% of them papers of earlier days listed again (same id, sometimes a newer
version or one more category). No arXiv mailing at the weekend: the generator finds nothing
new and commits nothing, so Saturdays and Sundays have no files.
"""
from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

from make_library import CATEGORY_WEIGHTS, START_DATE, LibrarySummary, _Generator, _Paper, _render_day

PAPERS_PER_DAY = (150, 500)
REPEAT_SHARE = 0.22
"""Share of a day's entries that list a paper of an earlier day again."""
CHINESE_SHARE = 1 / 3
MARKDOWN_SHARE = 1 / 4
RECENT_DAYS = 15
"""Repeats are drawn from this many earlier listing days (most re-listings are recent)."""
CROSS_LISTS = ("cs.RO", "stat.ML", "eess.IV", "cs.IR", "math.OC", "cs.HC", "cs.NE", "eess.SP", "q-bio.QM")
"""Categories added to a paper as secondary ones (cross-lists), beside the five main ones."""
COMMENTS = (None, None, None, "12 pages, 5 figures", "Accepted at a workshop; 8 pages", "Preprint, under review",
            "Code will be released", "23 pages, 11 figures, 4 tables", "Extended version of a conference paper")

# CJK pools written here: words of a machine-learning abstract in Simplified Chinese.
_CJK_ADJECTIVES = (
    "高效的 稀疏的 自适应的 分层的 对比式的 多模态的 因果的 联邦的 轻量级的 生成式的 自监督的 可解释的 "
    "鲁棒的 可扩展的 模块化的 概率化的 无需训练的 低秩的 等变的 可微分的 流式的 统一的 长时程的 隐私保护的"
).split()
_CJK_NOUNS = (
    "框架 编码器 解码器 基准 流水线 估计器 目标函数 正则项 调度器 架构 数据集 协议 模块 策略 表示 先验 "
    "采样器 验证器 注意力机制 损失函数 检索器 路由器 记忆模块 奖励模型"
).split()
_CJK_VERBS = "提升了 超越了 降低了 稳定了 加速了 推广了 简化了 扩展了 统一了 压缩了 对齐了 校准了".split()
_CJK_TOPICS = {
    "cs.CV": "图像分割 视频理解 目标检测 点云配准 深度估计 图像扩散 场景重建 姿态估计 视觉跟踪 医学影像 遥感图像 新视角合成",
    "cs.CL": "语言建模 机器翻译 分词 对话系统 问答 文本摘要 指令微调 语音转写 代码生成 事实核查 文档检索 情感分析",
    "cs.MA": "多智能体协作 协商协议 群体控制 共识形成 智能体通信 团队组建 机制设计 交通仿真",
    "cs.AI": "自动规划 知识图谱 定理证明 约束求解 价值对齐 工具调用 智能体评测 常识推理 程序合成 因果发现",
    "cs.LG": "随机优化 图学习 核方法 策略梯度 表示学习 持续学习 模型压缩 时间序列预测 主动学习 离线强化学习 混合专家 异常检测",
}
_CJK_TEMPLATES = (
    "本文研究{adj}{topic}问题，现有的{noun}难以扩展到大规模数据。",
    "现有的{topic}方法依赖{adj}{noun}，训练代价高昂。",
    "我们提出一种{adj}{noun}，通过在任务之间共享结构{verb}{topic}的效果。",
    "该{noun}端到端训练，在{topic}上{verb}已有工作。",
    "在{count}个公开数据集上的实验表明，{adj}{noun}{verb}强基线。",
    "分析解释了为何该{noun}在分布偏移下依然{adj2}有效。",
    "我们公开了代码和{adj}{noun}，以支持{topic}的后续研究。",
    "该方法将{adj}{noun}与{adj2}{noun2}结合，无需额外标注。",
    "消融实验证实{noun}的每个部分对{topic}都很重要。",
    "与早期的{noun}不同，我们的方法在输入含噪或缺失时仍保持稳定。",
    "结果表明，{adj}{noun}可以作为{topic}的实用默认选择。",
    "计算量降低了{count}倍，精度几乎不变。",
)


@dataclass(slots=True)
class _Listed:
    """One distinct paper as the crawler last saw it (a re-listing may change version and categories)."""

    paper_id: str
    version: int | None
    name: str
    title: str
    authors: list[str]
    categories: list[str]
    comment: str | None
    summary: str
    abstract_lines: list[str]


@dataclass(slots=True)
class _RealGenerator:
    """make_library's English pools plus CJK ones, built once per seed."""

    base: _Generator
    cjk: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def create(cls, seed: int) -> _RealGenerator:
        base = _Generator(seed)
        rng = random.Random(f"{seed}-cjk")
        cjk = {cat: [_cjk_sentence(cat, rng) for _ in range(800)] for cat in CATEGORY_WEIGHTS}
        return cls(base, cjk)

    def fresh(self, day: dt.date, cat: str, rng: random.Random) -> _Listed:
        paper = self.base.paper(day, cat, rng)
        categories = [cat]
        if rng.random() < 0.45:
            categories += rng.sample([c for c in (*CATEGORY_WEIGHTS, *CROSS_LISTS) if c != cat], rng.randint(1, 3))
        # arXiv wraps abstracts; the crawler keeps the line breaks (without the Markdown's indent)
        summary = "\n".join(line.strip() for line in paper.abstract_lines)
        return _Listed(paper.paper_id, paper.version, paper.title.split(":", 1)[0], paper.title,
                       paper.authors.split(","), categories, rng.choice(COMMENTS), summary, paper.abstract_lines)

    def ai_fields(self, listed: _Listed, chinese: bool, rng: random.Random) -> dict[str, str]:
        cat = listed.categories[0] if listed.categories[0] in CATEGORY_WEIGHTS else "cs.LG"
        if chinese:
            pool = self.cjk[cat]
            texts = ["".join(rng.choices(pool, k=k)) for k in (1, 2, 2, 2, 1)]
            texts[0] = f"{listed.name}：{texts[0]}"
        else:
            pool = self.base.sentences[cat]
            texts = [" ".join(rng.choices(pool, k=k)) for k in (1, 2, 2, 2, 1)]
            texts[0] = f"{listed.name}: {texts[0]}"
        return dict(zip(("tldr", "motivation", "method", "result", "conclusion"), texts))


def _cjk_sentence(cat: str, rng: random.Random) -> str:
    return rng.choice(_CJK_TEMPLATES).format(
        topic=rng.choice(_CJK_TOPICS[cat].split()), adj=rng.choice(_CJK_ADJECTIVES),
        adj2=rng.choice(_CJK_ADJECTIVES), noun=rng.choice(_CJK_NOUNS), noun2=rng.choice(_CJK_NOUNS),
        verb=rng.choice(_CJK_VERBS), count="二三四五六七八九十"[rng.randrange(9)],
    )


def _record(listed: _Listed) -> dict:
    """The crawler's record, keys in the generator's order."""
    version = f"v{listed.version}" if listed.version else ""
    return {
        "id": listed.paper_id, "categories": listed.categories,
        "pdf": f"https://arxiv.org/pdf/{listed.paper_id}{version}",
        "abs": f"https://arxiv.org/abs/{listed.paper_id}{version}",
        "authors": listed.authors, "title": listed.title, "comment": listed.comment, "summary": listed.summary,
    }


def _relist(listed: _Listed, rng: random.Random) -> None:
    """A paper listed again: sometimes a replacement (a newer version), sometimes cross-listed anew."""
    roll = rng.random()
    if roll < 0.35:
        listed.version = (listed.version or 1) + 1
    elif roll < 0.6:
        extra = [c for c in (*CATEGORY_WEIGHTS, *CROSS_LISTS) if c not in listed.categories]
        listed.categories = [*listed.categories, rng.choice(extra)]


def _markdown(listed_today: list[_Listed], ai_today: list[dict[str, str]], rng: random.Random) -> bytes:
    sections: dict[str, list[tuple[_Paper, bool]]] = {cat: [] for cat in CATEGORY_WEIGHTS}
    for listed, ai in zip(listed_today, ai_today):
        cat = listed.categories[0] if listed.categories[0] in sections else "cs.LG"
        paper = _Paper(listed.paper_id, listed.version, listed.title, ",".join(listed.authors), cat,
                       ai["tldr"], ai["motivation"], ai["method"], ai["result"], ai["conclusion"],
                       listed.abstract_lines)
        sections[cat].append((paper, False))
    return _render_day({c: p for c, p in sections.items() if p}, rng).encode("utf-8")


def _write(path: Path, data: bytes, summary: LibrarySummary) -> None:
    path.write_bytes(data)
    summary.files.append(path)
    summary.bytes_written += len(data)


def make_real_library(directory: str | Path, days: int = 450, seed: int = 0) -> LibrarySummary:
    """Write `days` calendar days from START_DATE in the generator's published shape into
    directory (flat, as the `data` folder); deterministic per seed. paper_entries counts
    every record of every file (what load_library's digests hold); day_entries counts each
    day's listing once."""
    root = Path(directory)
    root.mkdir(parents=True, exist_ok=True)
    gen = _RealGenerator.create(seed)
    summary = LibrarySummary(directory=root)
    recent: list[list[_Listed]] = []
    cats, weights = list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values())
    for index in range(days):
        day = START_DATE + dt.timedelta(days=index)
        if day.weekday() >= 5:
            continue  # no mailing, nothing new: upstream commits no file at the weekend
        rng = random.Random(f"{seed}-real-{day.isoformat()}")
        count = rng.randint(*PAPERS_PER_DAY)
        repeats: dict[str, _Listed] = {}
        wanted = round(count * REPEAT_SHARE) if recent else 0
        while len(repeats) < wanted:
            earlier = rng.choice(rng.choice(recent))
            if earlier.paper_id not in repeats:
                _relist(earlier, rng)
                repeats[earlier.paper_id] = earlier
        fresh = sorted((gen.fresh(day, cat, rng) for cat in rng.choices(cats, weights, k=count - len(repeats))),
                       key=lambda p: p.paper_id)
        listed_today = fresh + list(repeats.values())
        chinese = rng.random() < CHINESE_SHARE
        ai_today = [gen.ai_fields(p, chinese, rng) for p in listed_today]
        raw_lines, ai_lines = [], []
        for listed, ai in zip(listed_today, ai_today):
            record = _record(listed)
            raw_lines.append(json.dumps(record, ensure_ascii=False))
            record["AI"] = ai
            ai_lines.append(json.dumps(record, ensure_ascii=False))
        stem = day.isoformat()
        _write(root / f"{stem}.jsonl", ("\n".join(raw_lines) + "\n").encode("utf-8"), summary)
        language = "Chinese" if chinese else "English"
        _write(root / f"{stem}_AI_enhanced_{language}.jsonl", ("\n".join(ai_lines) + "\n").encode("utf-8"), summary)
        summary.paper_entries += 2 * len(listed_today)
        if rng.random() < MARKDOWN_SHARE:
            _write(root / f"{stem}.md", _markdown(listed_today, ai_today, rng), summary)
            summary.paper_entries += len(listed_today)
            summary.markdown_days += 1
        summary.day_entries += len(listed_today)
        summary.repeat_entries += len(repeats)
        summary.chinese_days += chinese
        summary.listing_days += 1
        recent = (recent + [fresh])[-RECENT_DAYS:]
    summary.distinct_papers = gen.base.distinct
    return summary
