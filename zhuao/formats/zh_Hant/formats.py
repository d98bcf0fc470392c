"""Traditional-Chinese pages write dates as simplified-Chinese ones do (2026年12月5日)."""
from zhuao.formats.zh_Hans.formats import *  # noqa: F401,F403
