// The form's fields: the scenario document's fields (the agency file format, docs/input-format.md,
// and the child and route of a scenario file), each with its label, unit and kind. The page holds
// no costing: it collects these values and hands them to the library as they were typed.
//
// `field` is the library's name for a field, as its error messages give it (`staff[2].salary`,
// `child.age`); `key` is the field's name inside its object.

const NATIONS = [
  ["england", "England"],
  ["wales", "Wales"],
  ["scotland", "Scotland"],
  ["northern_ireland", "Northern Ireland"],
];

export const AGENCY = [
  { key: "name", label: "Agency name", kind: "text", width: 20 },
  { key: "code", label: "Short code", hint: "Optional: names the agency in a workbook", kind: "text", width: 10, optional: true },
  {
    key: "kind", label: "Kind of agency", kind: "select",
    options: [["raa", "Regional adoption agency (RAA)"], ["la", "Council adoption service"], ["vaa", "Voluntary adoption agency (VAA)"]],
  },
  { key: "nation", label: "Nation", kind: "select", options: NATIONS },
  { key: "london", label: "The agency is in London", kind: "bool" },
  { key: "price_year", label: "Price year of the cost base", hint: "The financial year its amounts are in, as 2025/26", kind: "text", width: 5 },
  { key: "productive_hours", label: "Productive hours a year of one FTE", hint: "In hours a year, for each role's full hourly cost", kind: "number", suffix: "hours", width: 5 },
  { key: "illustrative", label: "These are made-up figures (every output says so)", kind: "bool" },
];

export const ON_COSTS = [
  { key: "pension_rate", label: "Employer pension rate", hint: "In percent of salary", kind: "number", suffix: "%", width: 4 },
  { key: "apprenticeship_levy", label: "The employer pays the apprenticeship levy (pay bill over £3m)", kind: "bool" },
  { key: "ni_rate", label: "Employer NI rate", hint: "Optional, in percent: leave blank for the published rate", kind: "number", suffix: "%", width: 4, optional: true },
  { key: "ni_threshold", label: "Employer NI threshold", hint: "Optional, in pounds a year: leave blank for the published threshold", kind: "number", prefix: "£", suffix: "a year", width: 10, optional: true },
  { key: "levy_rate", label: "Apprenticeship levy rate", hint: "Optional, in percent: leave blank for the published rate", kind: "number", suffix: "%", width: 4, optional: true },
];

const SHARES = [
  { key: "a", label: "A: approval", kind: "number", suffix: "%", width: 3 },
  { key: "b", label: "B: matching", kind: "number", suffix: "%", width: 3 },
  { key: "c", label: "C: support to the order", kind: "number", suffix: "%", width: 3 },
  { key: "other", label: "Other work", kind: "number", suffix: "%", width: 3 },
];

/** An overhead list (office, regulation, capital): an amount or an amount per FTE, allocated
 * by staff time unless the line gives its own shares. */
const overhead = (key, title, one, about) => ({
  key, title, one, about,
  fields: [
    { key: "label", label: "What it is", kind: "text", width: 20 },
    { key: "amount", label: "Amount", hint: "Pounds a year", kind: "number", prefix: "£", width: 7, optional: true },
    { key: "per_fte", label: "Or per FTE", hint: "Pounds a year per FTE", kind: "number", prefix: "£", width: 6, optional: true },
  ],
  shares: "optional",
  blank: () => ({ label: "", amount: "" }),
});

// Each list of lines: its key in the agency, what one line is called, its fields, and a new line.
export const LINES = [
  {
    key: "staff", title: "Staff", one: "staff line",
    about: "Each role: its FTE, salary per FTE and how its time splits across the stages (the four shares add up to 100%).",
    fields: [
      { key: "role", label: "Role", kind: "text", width: 20 },
      { key: "fte", label: "FTE", kind: "number", width: 4 },
      { key: "salary", label: "Salary per FTE", hint: "Pounds a year", kind: "number", prefix: "£", width: 7 },
    ],
    shares: "required",
    blank: () => ({ role: "", fte: "", salary: "", shares: { a: "", b: "", c: "", other: "" } }),
  },
  {
    key: "direct", title: "Direct non-staff costs", one: "direct line",
    about: "Medicals, panel fees, training, travel and so on: the year's amount and its shares by stage. Variable lines grow with cases and make up the marginal cost.",
    fields: [
      { key: "label", label: "What it is", kind: "text", width: 20 },
      { key: "amount", label: "Amount", hint: "Pounds a year", kind: "number", prefix: "£", width: 7 },
      { key: "variable", label: "Grows with cases", kind: "bool" },
    ],
    shares: "required",
    blank: () => ({ label: "", amount: "", variable: false, shares: { a: "", b: "", c: "", other: "" } }),
  },
  overhead("office", "Office running", "office line", "Accommodation, IT and phones, supplies: an amount a year, or an amount per FTE. Allocated by staff time unless you give the line its own shares."),

  overhead("regulation", "Regulation", "regulation line", "Ofsted registration and inspection fees, inspection preparation and hosting."),

  {
    key: "back_office", title: "Back office", one: "back-office line",
    about: "Finance, HR, payroll, IT support, legal, audit, insurance, management: an amount a year, or a recharge in percent of direct cost.",
    fields: [
      { key: "label", label: "What it is", kind: "text", width: 20 },
      { key: "amount", label: "Amount", hint: "Pounds a year", kind: "number", prefix: "£", width: 7, optional: true },
      { key: "recharge", label: "Or recharge", hint: "Percent of direct cost", kind: "number", suffix: "%", width: 3, optional: true },
    ],
    shares: "none",
    blank: () => ({ label: "", amount: "" }),
  },
  overhead("capital", "Capital", "capital line", "The annual equivalent cost of buildings and equipment."),

];

export const SHARE_FIELDS = SHARES;

export const ACTIVITY = [
  { key: "approvals", label: "Adopter households approved", hint: "In the year", kind: "number", width: 5 },
  { key: "matches_own", label: "Matches with the agency's own children", hint: "Approved households matched in the year", kind: "number", width: 5 },
  { key: "sales", label: "Matches with other agencies' children", hint: "Households placed with other agencies' children (they earn fee income)", kind: "number", width: 5 },
  { key: "supported_placements", label: "Households supported to the order", hint: "Optional: blank for all matches", kind: "number", width: 5, optional: true },
  { key: "children_placed", label: "Children placed", hint: "Optional: each child of a sibling group counts", kind: "number", width: 5, optional: true },
  { key: "utilisation", label: "Utilisation", hint: "Optional, in percent: the share of approved households ever matched (blank for 100%)", kind: "number", suffix: "%", width: 4, optional: true },
  { key: "fee_income_per_sale", label: "Fee income per sale", hint: "Optional, in pounds: blank for the schedule fee", kind: "number", prefix: "£", width: 7, optional: true },
];

export const CHILD = [
  { key: "reference", label: "Reference for the child or group", hint: "Never a name: no personal data is needed", kind: "text", width: 20, optional: true },
  { key: "children", label: "Children in the group", kind: "int", width: 2 },
  { key: "age", label: "Age of the youngest child", hint: "Optional, in years (for contribution schemes)", kind: "int", suffix: "years", width: 2, optional: true },
  { key: "disabled", label: "Disabled", kind: "bool" },
  { key: "minority_ethnic", label: "From a Black or minority ethnic background", kind: "bool" },
  { key: "waiting_over_18_months", label: "Waiting more than 18 months since entering care", kind: "bool" },
  { key: "weekly_care_cost", label: "Weekly cost of each child's current placement", hint: "Optional, in pounds a week: blank for the published average", kind: "number", prefix: "£", suffix: "a week", width: 5, optional: true },
  { key: "group_weekly_care_cost", label: "Or the group's own weekly cost", hint: "Optional, in pounds a week for the whole group", kind: "number", prefix: "£", suffix: "a week", width: 5, optional: true },
];

export const ROUTE = [
  { key: "provider", label: "External adopters' agency", kind: "select", options: [["vaa", "Voluntary adoption agency (VAA)"], ["la", "Council or RAA"]] },
  { key: "nation", label: "Nation whose fee schedule applies", kind: "select", options: [["", "The agency's own"], ...NATIONS], optional: true },
  { key: "london", label: "The external adopters' agency is in London (London weighting)", kind: "bool" },
  { key: "placement_date", label: "Date the child moves in", hint: "Optional, as 2025-09-01: it decides the fee year (blank for the latest year published)", kind: "text", width: 10, optional: true },
  { key: "weeks_in_house", label: "Expected weeks to a match in-house", hint: "Optional, from the placement order: blank for the published average", kind: "number", suffix: "weeks", width: 4, optional: true },
  { key: "weeks_external", label: "Expected weeks to a match externally", hint: "Optional: blank for the published average", kind: "number", suffix: "weeks", width: 4, optional: true },
  { key: "search_weeks", label: "Sequential search: weeks searching in-house first", hint: "Optional: with the next, works out the in-house-first route", kind: "number", suffix: "weeks", width: 4, optional: true },
  { key: "success_probability", label: "Sequential search: chance the in-house search succeeds", hint: "Optional, in percent", kind: "number", suffix: "%", width: 4, optional: true },
  { key: "common_costs", label: "Costs borne in either route", hint: "Optional, in pounds: added to both routes", kind: "number", prefix: "£", width: 7, optional: true },
  { key: "fee", label: "Schedule fee to use instead of the published one", hint: "Optional, in pounds, before London weighting", kind: "number", prefix: "£", width: 7, optional: true },
  { key: "monthly_fee", label: "Monthly fee after 12 months without an order", hint: "Optional, in pounds: blank for the published one", kind: "number", prefix: "£", suffix: "a month", width: 6, optional: true },
  { key: "months_beyond_12", label: "Expected months in placement beyond 12 without an order", hint: "Optional: blank for none", kind: "number", suffix: "months", width: 3, optional: true },
];

export const CONTRIBUTION = [
  { key: "share", label: "Contribution: share of the placement fee", hint: "Optional, in percent, instead of the published schemes", kind: "number", suffix: "%", width: 4, optional: true },
  { key: "amount", label: "Or a fixed contribution", hint: "Optional, in pounds", kind: "number", prefix: "£", width: 7, optional: true },
];
