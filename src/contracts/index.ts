export { NO_CALENDAR, type ContractCalendar } from './contractCalendar.ts';
export { chooseContractMonth, NoContractMonthError, rollDateOf, zoneOf, type ListedMonth } from './contractChoice.ts';
export {
  contractPoliciesSchema,
  DEFAULT_CONTRACT_POLICY,
  describePolicy,
  policyFor,
  type ContractPolicies,
  type ContractPolicy,
  type RollFrom,
  type RollRule,
} from './contractPolicy.ts';
export { AmbiguousContractMonthError, ContractResolver, type ContractResolverOptions, type ListingLookup, type ResolvedContract } from './contractResolver.ts';
