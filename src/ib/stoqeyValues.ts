/**
 * The values tradewire takes from @stoqey/ib, imported from the package's own modules instead of its
 * index. The index also loads IBApiNext and with it rxjs: about 270 modules and ~0.1 s of every
 * `tradewire start` (measured), for an API tradewire does not use. Types still come from
 * '@stoqey/ib' itself: type imports are erased by the build.
 */
export { IBApi } from '@stoqey/ib/dist/api/api.js';
export { ErrorCode } from '@stoqey/ib/dist/common/errorCode.js';
export { EventName } from '@stoqey/ib/dist/api/data/enum/event-name.js';
export { SecType } from '@stoqey/ib/dist/api/data/enum/sec-type.js';
export { BarSizeSetting } from '@stoqey/ib/dist/api/historical/bar-size-setting.js';
export { WhatToShow } from '@stoqey/ib/dist/api/historical/what-to-show.js';
export { OrderAction } from '@stoqey/ib/dist/api/order/enum/order-action.js';
export { OrderType } from '@stoqey/ib/dist/api/order/enum/orderType.js';
export { TimeInForce } from '@stoqey/ib/dist/api/order/enum/tif.js';
