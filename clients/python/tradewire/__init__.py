"""A standard-library-only Python client for tradewire's admin API.

    from tradewire import Tradewire
    tw = Tradewire("http://127.0.0.1:7400", token="...")
    tw.submit_order("my-1", account="DU1234567", symbol="ES", expiry="202703", side="BUY",
                    quantity=1, order_type="MKT", strategy="example")
"""

from .client import Tradewire
from .errors import BadRequest, Conflict, ConnectionFailed, Forbidden, NotFound, TradewireError, Unauthorized, Unavailable
from .events import EventStream
from .models import (
    Accepted,
    Event,
    Execution,
    Fill,
    FillPage,
    HaltResult,
    Order,
    OrderPage,
    Position,
    Positions,
    Price,
    ResumeResult,
    parse_time,
)

__version__ = "0.1.0"

__all__ = [
    "Accepted",
    "BadRequest",
    "Conflict",
    "ConnectionFailed",
    "Event",
    "EventStream",
    "Execution",
    "Fill",
    "FillPage",
    "Forbidden",
    "HaltResult",
    "NotFound",
    "Order",
    "OrderPage",
    "Position",
    "Positions",
    "Price",
    "ResumeResult",
    "Tradewire",
    "TradewireError",
    "Unauthorized",
    "Unavailable",
    "parse_time",
]
