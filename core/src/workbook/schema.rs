//! The sheets and columns of the input workbook: one description used both to write the
//! template (headers, formats, validation, input messages) and to read a filled one, so the
//! two cannot drift.
#![allow(clippy::disallowed_types)] // column widths are Excel's own float unit, not money

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Free text.
    Text,
    /// An agency code.
    Code,
    /// Pounds.
    Money,
    /// A plain number (FTE, approvals, weeks).
    Number,
    /// A whole number (children, age).
    Whole,
    /// A percentage, stored by Excel as a fraction (40% is 0.4).
    Percent,
    /// yes or no.
    YesNo,
    /// A date.
    Date,
    /// A financial year, `2025/26`.
    Year,
    /// One of a list.
    List(&'static [&'static str]),
}

/// One column.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// The header, exactly as the template writes it.
    pub header: &'static str,
    /// What it holds.
    pub kind: Kind,
    /// True where every row must fill it.
    pub required: bool,
    /// The input message shown on the header: what goes there and in what unit.
    pub help: &'static str,
    /// Column width in characters.
    pub width: f64,
}

/// One sheet.
#[derive(Debug, Clone, Copy)]
pub struct Sheet {
    /// Its name.
    pub name: &'static str,
    /// Its columns.
    pub columns: &'static [Column],
    /// What the sheet is for, for the README sheet.
    pub about: &'static str,
}

impl Sheet {
    /// The zero-based index of a column by header.
    pub fn col(&self, header: &str) -> usize {
        self.columns.iter().position(|c| c.header == header).unwrap_or(usize::MAX)
    }
}

const fn c(header: &'static str, kind: Kind, required: bool, help: &'static str, width: f64) -> Column {
    Column { header, kind, required, help, width }
}

/// The nations, as the workbook writes them.
pub const NATIONS: &[&str] = &["england", "wales", "scotland", "northern_ireland"];
/// The provider types.
pub const PROVIDERS: &[&str] = &["vaa", "la"];
/// The agency kinds.
pub const KINDS: &[&str] = &["raa", "la", "vaa"];
/// The overhead categories.
pub const OVERHEADS: &[&str] = &["office", "regulation", "capital"];

const CODE: Column = c("Agency code", Kind::Code, true, "The agency's code, as on the Agencies sheet.", 14.0);
const NOTES: Column = c(
    "Notes",
    Kind::Text,
    false,
    "Anything you want to record about this row. Not used in the costing.",
    40.0,
);
const SHARE_A: Column = c(
    "Share A",
    Kind::Percent,
    false,
    "Percent of this line on A, approval (recruitment to approval). A, B, C and other sum to 100%.",
    10.0,
);
const SHARE_B: Column = c(
    "Share B",
    Kind::Percent,
    false,
    "Percent of this line on B, matching (family finding to placement).",
    10.0,
);
const SHARE_C: Column =
    c("Share C", Kind::Percent, false, "Percent of this line on C, support to the adoption order.", 10.0);
const SHARE_OTHER: Column = c(
    "Share other",
    Kind::Percent,
    false,
    "Percent of this line on other work, outside the fee's scope (support after the order, and so on).",
    11.0,
);

/// Agencies: one row per agency's cost base.
pub const AGENCIES: Sheet = Sheet {
    name: "Agencies",
    about: "One row per agency: who it is, its year, its on-costs and its activity. Each agency's lines are on the Staff, Direct, Overheads and Back office sheets, under its code.",
    columns: &[
        c(
            "Agency code",
            Kind::Code,
            true,
            "A short code that identifies the agency on every other sheet (for example EXAMPLE).",
            14.0,
        ),
        c("Name", Kind::Text, true, "The agency's name.", 34.0),
        c(
            "Kind",
            Kind::List(KINDS),
            true,
            "raa (regional adoption agency), la (a council's own service) or vaa (voluntary adoption agency).",
            8.0,
        ),
        c("Nation", Kind::List(NATIONS), true, "england, wales, scotland or northern_ireland.", 12.0),
        c(
            "London",
            Kind::YesNo,
            true,
            "yes where the agency is in London (its own sales then carry the London weighting).",
            9.0,
        ),
        c(
            "Price year",
            Kind::Year,
            true,
            "The financial year of the cost base, such as 2025/26. Its amounts are in this year's prices.",
            11.0,
        ),
        c(
            "Productive hours",
            Kind::Number,
            true,
            "Productive hours a year of one FTE, for the full hourly cost of each role (for example 1665).",
            11.0,
        ),
        c(
            "Pension rate",
            Kind::Percent,
            true,
            "The employer's pension contribution rate, percent of salary. There is no national default.",
            10.0,
        ),
        c(
            "Apprenticeship levy",
            Kind::YesNo,
            true,
            "yes where the employer pays the apprenticeship levy (pay bill over £3m).",
            12.0,
        ),
        c(
            "NI rate",
            Kind::Percent,
            false,
            "Optional: your own employer NI rate. Blank: the HMRC rate for the price year.",
            9.0,
        ),
        c(
            "NI threshold",
            Kind::Money,
            false,
            "Optional: your own employer NI secondary threshold, £ a year. Blank: the HMRC threshold.",
            12.0,
        ),
        c(
            "Levy rate",
            Kind::Percent,
            false,
            "Optional: your own apprenticeship levy rate. Blank: 0.5%.",
            9.0,
        ),
        c("Approvals", Kind::Number, true, "Adopter households approved in the year (more than 0).", 10.0),
        c(
            "Matches own",
            Kind::Number,
            true,
            "Approved households matched with the agency's own children in the year.",
            10.0,
        ),
        c(
            "Sales",
            Kind::Number,
            false,
            "Approved households matched with other agencies' children (earning fee income). Blank: 0.",
            8.0,
        ),
        c(
            "Supported placements",
            Kind::Number,
            false,
            "Households in stage C (support to the order) during the year. Blank: own matches + sales.",
            12.0,
        ),
        c(
            "Children placed",
            Kind::Number,
            false,
            "Children placed, counting each child of a sibling group. Shown only.",
            10.0,
        ),
        c(
            "Utilisation",
            Kind::Percent,
            false,
            "Percent of approved households ever matched. Blank: 100%.",
            10.0,
        ),
        c(
            "Fee income per sale",
            Kind::Money,
            false,
            "£ earned per sale. Blank: the schedule's fee for the agency's own provider type.",
            12.0,
        ),
        c(
            "Illustrative",
            Kind::YesNo,
            false,
            "yes for made-up figures; every output then says so. Blank: no.",
            11.0,
        ),
        NOTES,
    ],
};

/// Staff lines.
pub const STAFF: Sheet = Sheet {
    name: "Staff",
    about: "One row per staff line: a role, its FTE, its salary, and how its time splits across the stages.",
    columns: &[
        CODE,
        c("Role", Kind::Text, true, "The role, such as Senior social worker.", 34.0),
        c("FTE", Kind::Number, true, "Full-time equivalents on this line.", 7.0),
        c("Salary", Kind::Money, true, "Annual gross salary per FTE, £ (before employer on-costs).", 12.0),
        SHARE_A,
        SHARE_B,
        SHARE_C,
        SHARE_OTHER,
        NOTES,
    ],
};

/// Direct non-staff lines.
pub const DIRECT: Sheet = Sheet {
    name: "Direct",
    about: "One row per direct non-staff cost: panel fees, medicals, DBS checks, training, recruitment and marketing, family-finding subscriptions, travel, interpreters.",
    columns: &[
        CODE,
        c("Label", Kind::Text, true, "What the cost is, such as Adult medicals.", 34.0),
        c("Amount", Kind::Money, true, "The year's amount, £.", 12.0),
        c(
            "Variable",
            Kind::YesNo,
            true,
            "yes where it grows with cases (a medical, a panel fee); no where it is fixed for the year.",
            9.0,
        ),
        SHARE_A,
        SHARE_B,
        SHARE_C,
        SHARE_OTHER,
        NOTES,
    ],
};

/// Office running, regulation and capital.
pub const OVERHEADS_SHEET: Sheet = Sheet {
    name: "Overheads",
    about: "Office running (accommodation, IT and phones, supplies), regulation (Ofsted fees, inspection preparation) and capital (annual equivalent cost of buildings and equipment). Allocated by staff time unless the row gives its own shares.",
    columns: &[
        CODE,
        c("Category", Kind::List(OVERHEADS), true, "office, regulation or capital.", 11.0),
        c("Label", Kind::Text, true, "What the cost is, such as Rent and rates.", 34.0),
        c("Amount", Kind::Money, false, "The year's amount, £. Give this or Per FTE.", 12.0),
        c(
            "Per FTE",
            Kind::Money,
            false,
            "An amount per FTE of the staff lines, £. Give this or Amount.",
            10.0,
        ),
        SHARE_A,
        SHARE_B,
        SHARE_C,
        SHARE_OTHER,
        NOTES,
    ],
};

/// Back office.
pub const BACK_OFFICE: Sheet = Sheet {
    name: "Back office",
    about: "Finance, HR, payroll, IT support, legal, procurement, audit, insurance, corporate management: an amount, or a recharge as a percentage of direct cost.",
    columns: &[
        CODE,
        c("Label", Kind::Text, true, "What the cost is, such as Corporate recharge.", 34.0),
        c("Amount", Kind::Money, false, "The year's amount, £. Give this or Recharge.", 12.0),
        c(
            "Recharge",
            Kind::Percent,
            false,
            "A recharge as a percentage of direct cost (staff + direct non-staff + office + regulation).",
            10.0,
        ),
        NOTES,
    ],
};

/// The children or sibling groups to cost.
pub const CHILDREN: Sheet = Sheet {
    name: "Children",
    about: "One row per child or sibling group to cost against an agency: the in-house route against the external route, with the cost of waiting. Use a reference, never a name.",
    columns: &[
        c("Reference", Kind::Text, true, "A reference for the child or group (never a name).", 14.0),
        CODE,
        c("Children", Kind::Whole, true, "Children in the sibling group (1 for a single child).", 9.0),
        c(
            "Age",
            Kind::Whole,
            false,
            "Age in years of the youngest child (a contribution may apply from 5).",
            6.0,
        ),
        c(
            "Disabled",
            Kind::YesNo,
            false,
            "yes where a child is disabled (contribution eligibility). Blank: no.",
            9.0,
        ),
        c(
            "Minority ethnic",
            Kind::YesNo,
            false,
            "yes for a Black or minority ethnic background (contribution eligibility). Blank: no.",
            10.0,
        ),
        c(
            "Waiting over 18 months",
            Kind::YesNo,
            false,
            "yes where the child has waited more than 18 months (contribution eligibility). Blank: no.",
            12.0,
        ),
        c(
            "Weekly care cost",
            Kind::Money,
            false,
            "Weekly cost of each child's current placement, £. Blank: the published average IFA price.",
            12.0,
        ),
        c("Group weekly care cost", Kind::Money, false, "Or the whole group's weekly cost, £.", 12.0),
        c(
            "Provider",
            Kind::List(PROVIDERS),
            false,
            "The external adopters' agency: vaa, or la (a council or RAA). Blank: vaa.",
            9.0,
        ),
        c(
            "Nation",
            Kind::List(NATIONS),
            false,
            "The nation whose fee schedule applies. Blank: the agency's.",
            12.0,
        ),
        c(
            "London",
            Kind::YesNo,
            false,
            "yes where the external adopters' agency is in London. Blank: no.",
            9.0,
        ),
        c(
            "Placement date",
            Kind::Date,
            false,
            "The date the child moves in; it decides the fee year. Blank: the latest fee year covered.",
            12.0,
        ),
        c(
            "Weeks in-house",
            Kind::Number,
            false,
            "Expected weeks from placement order to match in-house. Blank: the published average.",
            10.0,
        ),
        c(
            "Weeks external",
            Kind::Number,
            false,
            "Expected weeks from placement order to match externally. Blank: the published average.",
            10.0,
        ),
        c(
            "Search weeks",
            Kind::Number,
            false,
            "Sequential search: weeks searching in-house first. Give with Success probability, or neither.",
            10.0,
        ),
        c(
            "Success probability",
            Kind::Percent,
            false,
            "Sequential search: chance the in-house search succeeds.",
            11.0,
        ),
        c(
            "Common costs",
            Kind::Money,
            false,
            "The child's council's own costs in either route, £ (added to both).",
            11.0,
        ),
        c(
            "Fee",
            Kind::Money,
            false,
            "Your schedule fee, £ (before London weighting), instead of the reference figure.",
            11.0,
        ),
        c("Monthly fee", Kind::Money, false, "Your monthly fee after 12 months without an order, £.", 11.0),
        c(
            "Months beyond 12",
            Kind::Number,
            false,
            "Expected months in placement beyond 12 without an adoption order. Blank: 0.",
            10.0,
        ),
        c(
            "Contribution share",
            Kind::Percent,
            false,
            "A contribution to the fee as a share of the placement fee (instead of the reference schemes).",
            12.0,
        ),
        c("Contribution amount", Kind::Money, false, "Or a contribution as a fixed amount, £.", 12.0),
        NOTES,
    ],
};

/// Fees for schedules the reference data does not hold.
pub const FEE_OVERRIDES: Sheet = Sheet {
    name: "Fee overrides",
    about: "Fees for schedules and years the reference data does not hold (sibling bands for 2025/26, a year after 2025/26), or to replace its. Used for every child row they match.",
    columns: &[
        c("Nation", Kind::List(NATIONS), true, "england, wales, scotland or northern_ireland.", 12.0),
        c("Provider", Kind::List(PROVIDERS), true, "vaa, or la (a council or RAA).", 9.0),
        c("Children", Kind::Whole, true, "Children in the group the fee is for.", 9.0),
        c("Fee year", Kind::Year, true, "The fee year, such as 2025/26 (1 April to 31 March).", 10.0),
        c("Amount", Kind::Money, true, "The schedule fee, £, before any London weighting.", 12.0),
        NOTES,
    ],
};

/// Every input sheet, in workbook order.
pub const INPUT_SHEETS: [&Sheet; 7] =
    [&AGENCIES, &STAFF, &DIRECT, &OVERHEADS_SHEET, &BACK_OFFICE, &CHILDREN, &FEE_OVERRIDES];
