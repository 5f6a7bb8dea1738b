//! The typed results of costing an agency (COSTING.md §3–5): what the figures of the model
//! come to, for front doors that want numbers rather than explanations.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::money::{FinancialYear, Money};

/// A stage of the work (COSTING.md §2), with `Other` for work outside the fee's scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// A. approval.
    A,
    /// B. matching.
    B,
    /// C. support to the order.
    C,
    /// Other work, excluded from the unit cost.
    Other,
}

impl Stage {
    /// All four, in order.
    pub const ALL: [Stage; 4] = [Stage::A, Stage::B, Stage::C, Stage::Other];

    /// `a`, `b`, `c`, `other`.
    pub fn id(self) -> &'static str {
        match self {
            Stage::A => "a",
            Stage::B => "b",
            Stage::C => "c",
            Stage::Other => "other",
        }
    }

    /// `A. approval` and so on.
    pub fn name(self) -> &'static str {
        match self {
            Stage::A => "A. approval",
            Stage::B => "B. matching",
            Stage::C => "C. support",
            Stage::Other => "other (outside the fee)",
        }
    }

    /// `A`, `B`, `C`, `other`.
    pub fn short(self) -> &'static str {
        match self {
            Stage::A => "A",
            Stage::B => "B",
            Stage::C => "C",
            Stage::Other => "other",
        }
    }
}

/// A cost category, the columns of the in-house cost table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Staff salaries.
    Salary,
    /// Employer NI, pension and apprenticeship levy.
    OnCosts,
    /// Direct non-staff lines.
    Direct,
    /// Office running.
    Office,
    /// Regulation.
    Regulation,
    /// Back office.
    BackOffice,
    /// Capital.
    Capital,
}

impl Category {
    /// All seven, in order.
    pub const ALL: [Category; 7] = [
        Category::Salary,
        Category::OnCosts,
        Category::Direct,
        Category::Office,
        Category::Regulation,
        Category::BackOffice,
        Category::Capital,
    ];

    /// The id used in figure ids.
    pub fn id(self) -> &'static str {
        match self {
            Category::Salary => "salary",
            Category::OnCosts => "on_costs",
            Category::Direct => "direct",
            Category::Office => "office",
            Category::Regulation => "regulation",
            Category::BackOffice => "back_office",
            Category::Capital => "capital",
        }
    }

    /// The name shown.
    pub fn name(self) -> &'static str {
        match self {
            Category::Salary => "salary",
            Category::OnCosts => "on-costs",
            Category::Direct => "direct non-staff",
            Category::Office => "office running",
            Category::Regulation => "regulation",
            Category::BackOffice => "back office",
            Category::Capital => "capital",
        }
    }
}

/// One value per stage.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct ByStage<T> {
    /// A. approval.
    pub a: T,
    /// B. matching.
    pub b: T,
    /// C. support.
    pub c: T,
    /// Other.
    pub other: T,
}

impl<T: Copy> ByStage<T> {
    /// From an array in stage order.
    pub fn from_array(v: [T; 4]) -> Self {
        ByStage { a: v[0], b: v[1], c: v[2], other: v[3] }
    }

    /// The value for a stage.
    pub fn get(&self, s: Stage) -> T {
        match s {
            Stage::A => self.a,
            Stage::B => self.b,
            Stage::C => self.c,
            Stage::Other => self.other,
        }
    }

    /// As an array in stage order.
    pub fn to_array(&self) -> [T; 4] {
        [self.a, self.b, self.c, self.other]
    }
}

/// Cost of each category in one stage, or per placement.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct ByCategory {
    /// Salary.
    pub salary: Money,
    /// On-costs.
    pub on_costs: Money,
    /// Direct non-staff.
    pub direct: Money,
    /// Office running.
    pub office: Money,
    /// Regulation.
    pub regulation: Money,
    /// Back office.
    pub back_office: Money,
    /// Capital.
    pub capital: Money,
}

impl ByCategory {
    /// The value of a category.
    pub fn get(&self, c: Category) -> Money {
        match c {
            Category::Salary => self.salary,
            Category::OnCosts => self.on_costs,
            Category::Direct => self.direct,
            Category::Office => self.office,
            Category::Regulation => self.regulation,
            Category::BackOffice => self.back_office,
            Category::Capital => self.capital,
        }
    }

    /// Sets the value of a category.
    pub fn set(&mut self, c: Category, v: Money) {
        match c {
            Category::Salary => self.salary = v,
            Category::OnCosts => self.on_costs = v,
            Category::Direct => self.direct = v,
            Category::Office => self.office = v,
            Category::Regulation => self.regulation = v,
            Category::BackOffice => self.back_office = v,
            Category::Capital => self.capital = v,
        }
    }

    /// The sum of all categories.
    pub fn total(&self) -> Money {
        Category::ALL.iter().map(|&c| self.get(c)).sum()
    }
}

/// The full hourly cost of one role.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleCost {
    /// The role.
    pub role: String,
    /// Staff line cost plus its share of office, regulation, back office and capital.
    pub full_cost: Money,
    /// Full cost per productive hour.
    pub hourly: Option<Money>,
    /// Full cost ÷ salary cost.
    pub ratio_to_salary: Option<Decimal>,
}

/// Unit costs (COSTING.md §5).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitCosts {
    /// Stage A total ÷ approvals.
    pub per_approval: Money,
    /// Stage B total ÷ matches.
    pub per_match: Money,
    /// Stage C total ÷ supported placements.
    pub per_supported: Money,
    /// Cost per approval ÷ utilisation + cost per match + cost per supported placement.
    pub full: Money,
    /// The full cost split by category.
    pub full_by_category: ByCategory,
    /// Variable direct lines only.
    pub marginal: Money,
}

/// The activity volumes used, with defaults applied.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Volumes {
    /// Approvals.
    pub approvals: Decimal,
    /// Matches, own and sales.
    pub matches: Decimal,
    /// Matches with the agency's own children.
    pub matches_own: Decimal,
    /// Sales.
    pub sales: Decimal,
    /// Supported placements.
    pub supported: Decimal,
    /// Utilisation as a fraction.
    pub utilisation: Decimal,
}

/// The costed agency.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostBase {
    /// The price year of every amount.
    pub price_year: FinancialYear,
    /// Total cost by stage.
    pub stage_totals: ByStage<Money>,
    /// Cost by category within each stage.
    pub stage_categories: ByStage<ByCategory>,
    /// Total cost by category, all stages.
    pub category_totals: ByCategory,
    /// The whole year's cost.
    pub total: Money,
    /// Variable direct lines by stage.
    pub variable: ByStage<Money>,
    /// The FTE key.
    pub fte_key: ByStage<Decimal>,
    /// The direct-cost key.
    pub direct_key: ByStage<Decimal>,
    /// Volumes used.
    pub volumes: Volumes,
    /// Unit costs.
    pub unit: UnitCosts,
    /// The full hourly cost of each staff line.
    pub roles: Vec<RoleCost>,
    /// The placements the agency sells, against the fee it charges.
    pub sales: super::sales::SalesView,
}

/// The costed agency's typed results, read off its figures.
pub fn cost_base(
    m: &super::Model,
    cx: &super::AgencyCtx,
    s: &super::allocation::Stages,
    u: &super::unit_costs::Units,
    roles: Vec<RoleCost>,
    sales: super::sales::SalesView,
) -> CostBase {
    let money = |n| m.money(n);
    let value = |n| m.value(n).unwrap_or_default();
    let by_category = |nodes: &[super::NodeId; 7]| {
        let mut c = ByCategory::default();
        for cat in Category::ALL {
            c.set(cat, money(nodes[cat as usize]));
        }
        c
    };
    let act = &cx.agency.activity;
    CostBase {
        price_year: cx.year,
        stage_totals: ByStage::from_array(s.totals.map(money)),
        stage_categories: ByStage::from_array(s.by_category.each_ref().map(by_category)),
        category_totals: by_category(&s.category_totals),
        total: money(s.total),
        variable: ByStage::from_array(s.variable.map(money)),
        fte_key: ByStage::from_array(s.fte_key.map(value)),
        direct_key: ByStage::from_array(s.direct_key.map(value)),
        volumes: Volumes {
            approvals: act.approvals,
            matches: value(u.matches),
            matches_own: act.matches_own,
            sales: act.sales,
            supported: value(u.supported),
            utilisation: value(u.utilisation) / Decimal::ONE_HUNDRED,
        },
        unit: UnitCosts {
            per_approval: money(u.per_approval),
            per_match: money(u.per_match),
            per_supported: money(u.per_supported),
            full: money(u.full),
            full_by_category: by_category(&u.full_by_category),
            marginal: money(u.marginal),
        },
        roles,
        sales,
    }
}
