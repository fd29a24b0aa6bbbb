import type { Form40Pack } from './form40Pack.ts';

const TRADER_TYPES: Record<Form40Pack['trader']['traderType'], string> = {
  individual: 'Individual (part B)',
  partnership: 'Partnership (part B)',
  jointTenant: 'Joint tenant (part B)',
  corporation: 'Corporation (part C)',
  other: 'Other (part C)',
};

/** A human-readable copy of the pack, for the person who fills in the Commission's Form 40. */
export function renderForm40Text(pack: Form40Pack): string {
  const { trader } = pack;
  const lines = [
    `${pack.form} (${pack.regulation})`,
    `Positions as of the close of ${pack.asOf}`,
    '',
    'A. Reporting trader',
    `  Name:               ${trader.name}`,
    ...trader.address.map((line, i) => `  ${i === 0 ? 'Address:            ' : '                    '}${line}`),
    ...(trader.lei ? [`  LEI:                ${trader.lei}`] : []),
    `  Principal business: ${trader.principalBusiness}`,
    `  Trading purpose:    ${trader.tradingPurpose}`,
    `  Type of trader:     ${TRADER_TYPES[trader.traderType]}`,
    `  Registrations:      ${trader.registrations.length ? trader.registrations.join(', ') : 'none'}`,
    '',
    'Persons whose trading the reporting trader controls:',
    ...(trader.controlledPersons.length ? trader.controlledPersons.map((p) => `  ${p.name}, ${p.address.join(', ')}`) : ['  none']),
    'Persons who control the trading of the reporting trader:',
    ...(trader.controllers.length ? trader.controllers.map((p) => `  ${p.name}, ${p.address.join(', ')}, tel. ${p.businessPhone}`) : ['  none']),
    'Carrying brokers:',
    ...trader.carryingBrokers.map((b) => `  ${b.name} (${b.kind}), ${b.location}`),
    '',
    'Accounts and positions',
  ];
  for (const account of pack.accounts) {
    lines.push(`  Account ${account.accountId} (special account ${account.specialAccountNumber}), carried by ${account.carriedBy}`);
    lines.push(`    Reportable in: ${account.reportableIn.length ? account.reportableIn.join('; ') : 'nothing'}`);
    if (account.positions.length === 0) lines.push('    No open positions');
    for (const p of account.positions) {
      lines.push(`    ${p.symbol.padEnd(4)} ${p.contractMonth}  ${p.exchange.padEnd(6)} long ${String(p.long).padStart(7)}  short ${String(p.short).padStart(7)}  (${p.commodity})`);
    }
  }
  lines.push('', `Contact: ${trader.contact.name}, ${trader.contact.phone}, ${trader.contact.email}`);
  return `${lines.join('\n')}\n`;
}
