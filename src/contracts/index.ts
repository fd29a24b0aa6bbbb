export { NO_CALENDAR, startOfExchangeDate, type ContractCalendar } from './contractCalendar.ts';
export { chooseContractMonth, NoContractMonthError, rollDateOf, zoneOf, type ListedMonth } from './contractChoice.ts';
export {
  contractPoliciesSchema,
  contractPolicySchema,
  DEFAULT_CONTRACT_POLICY,
  describePolicy,
  policyFor,
  ROLL_FROM,
  type ContractPolicies,
  type ContractPolicy,
  type RollFrom,
  type RollRule,
} from './contractPolicy.ts';
export { AmbiguousContractMonthError, ContractResolver, type ContractResolverOptions, type ListingLookup, type ResolvedContract } from './contractResolver.ts';
