/**
 * Report types the CFTC has but tradewire does not produce, each with the reason given back to
 * whoever asked for one, so a request for them fails loudly instead of filing nothing.
 */
export const UNSUPPORTED_CFTC_TYPES: Readonly<Record<string, string>> = {
  swap_data:
    'swap data reports (17 CFR Part 45) are made by swap counterparties to a swap data repository; tradewire accounts trade exchange-listed futures only and hold no swaps',
  swap_large_trader:
    'large trader reports for physical commodity swaps (17 CFR Part 20) concern swap positions; tradewire accounts hold no swaps',
  form_102:
    'Form 102 (17 CFR 17.01) identifies a special account and is filed by the carrying futures commission merchant or clearing member, not by the trader',
  form_204:
    'series 04 reports (17 CFR Part 19) are for bona fide hedgers holding cash positions; tradewire trades no cash commodities',
};
