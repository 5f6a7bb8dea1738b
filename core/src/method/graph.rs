//! The model: the method's figures as a graph of named nodes, each figure one expression over
//! the nodes before it.
//!
//! A node is a *leaf* (the user's input, a reference figure, a default of the method, or a
//! figure of another model, each with its [`Origin`]) or a *figure* (an id, a label, a unit and
//! one [`Expr`]). A figure is evaluated exactly as it is added, from the nodes it uses, so the
//! nodes are always in an order in which each comes after everything it uses. Everything the
//! software says about a figure comes from that one expression: its value, its formula in
//! words and its inputs ([`Model::explanation`]), and its live Excel formula.
//!
//! An analysis that moves an input [`pin`](Model::pin)s the node that stands for it (by the
//! input's field path, [`Model::for_input`]) and [`recompute`](Model::recompute)s: only the
//! figures downstream of what moved are worked out again, in order, by the same expressions,
//! so a draw gives to the last digit what costing the moved scenario from scratch gives.

use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::explain::{Explanation, Figure, Origin, Outcome, Quantity, Term, Unit};
use crate::expr::{Expr, Stop, Text};
use crate::money::{FinancialYear, Money};

/// A node of a [`Model`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(u32);

impl NodeId {
    /// The node in an expression.
    pub fn e(self) -> Expr {
        Expr::Input(self.0)
    }
}

impl From<NodeId> for Expr {
    fn from(n: NodeId) -> Expr {
        n.e()
    }
}

/// A leaf or a figure.
#[derive(Debug, Clone)]
struct Node {
    id: Text,
    label: Text,
    symbol: Text,
    unit: Unit,
    price_year: Option<FinancialYear>,
    /// The input field this node stands for (`route.weeks_in_house`), which an analysis moves.
    input: Option<Text>,
    value: std::result::Result<Decimal, Text>,
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    /// Boxed, as the figure's definition is: a node is moved as the model grows, and most of an
    /// origin is text.
    Leaf(Box<Origin>),
    Figure(Box<Def>),
}

/// What a figure is made of besides its value.
#[derive(Debug, Clone)]
struct Def {
    expr: Expr,
    words: Text,
    /// The formula in words where the figure is a choice or a lookup rather than arithmetic.
    formula: Option<Text>,
    /// Why there is no value where the expression divides by zero or is not positive (`{}`
    /// stands for the value found).
    undefined: Option<Text>,
    /// Set by an analysis: the value is held, not worked out.
    pinned: bool,
    /// For a part (a named piece of other figures, not a figure of its own): what it cites.
    cite: Option<Origin>,
}

/// The figures of one costing, in the order they were worked out.
#[derive(Debug, Clone, Default)]
pub struct Model {
    nodes: Vec<Node>,
    /// Each node's value as expressions read it (a percentage leaf as its fraction; `None`
    /// where it has none), kept beside the nodes so evaluation reads one slice.
    operands: Vec<Option<Decimal>>,
    /// Nodes moved since the last [`Model::recompute`], in order, each once.
    moved: Vec<u32>,
    /// Where set ([`Model::focus`]), the only nodes [`Model::recompute`] works out again.
    focus: Option<Vec<bool>>,
    /// The figures the last set of moved nodes reached, in order: an analysis moves the same
    /// inputs draw after draw, so the order is found once.
    schedule: Option<(Vec<u32>, Vec<u32>)>,
}

/// A figure being defined: see [`Model::fig`]. The figure is the model's last node until it
/// is finished, so a definition is one pointer wherever it is passed, not a node and a
/// definition copied at every step of the chain.
#[derive(Debug)]
pub struct FigureDef<'m> {
    model: &'m mut Model,
}

impl Model {
    /// An empty model.
    pub fn new() -> Model {
        Model::default()
    }

    /// An empty model with room for `nodes` nodes (a placement's are a few dozen).
    pub fn with_capacity(nodes: usize) -> Model {
        Model { nodes: Vec::with_capacity(nodes), operands: Vec::with_capacity(nodes), ..Model::default() }
    }

    fn add(&mut self, node: Node) -> NodeId {
        let id = NodeId(self.nodes.len() as u32);
        self.operands.push(node.operand());
        self.nodes.push(node);
        id
    }

    /// A leaf: a value from outside the method's arithmetic, with where it came from. `id` is
    /// how it is found again (empty for none).
    pub fn leaf(
        &mut self,
        id: impl Into<Text>,
        label: impl Into<Text>,
        symbol: impl Into<Text>,
        value: Quantity,
        origin: Origin,
    ) -> NodeId {
        self.add(Node {
            id: id.into(),
            label: label.into(),
            symbol: symbol.into(),
            unit: value.unit,
            price_year: value.price_year,
            input: None,
            value: Ok(value.value),
            kind: Kind::Leaf(Box::new(origin)),
        })
    }

    /// A leaf that an analysis can move as the input `path` (`activity.approvals`): the user's
    /// own value, or the reference figure or default used in its place.
    pub fn input_leaf(
        &mut self,
        path: impl Into<Text>,
        label: impl Into<Text>,
        symbol: impl Into<Text>,
        value: Quantity,
        origin: Origin,
    ) -> NodeId {
        let path = path.into();
        let n = self.leaf(path.clone(), label, symbol, value, origin);
        self.nodes[n.0 as usize].input = Some(path);
        n
    }

    /// A node of another model, as a leaf of this one: a figure is cited by its id, a leaf by
    /// its own origin. A percentage figure comes as the percent figure.
    pub fn import(&mut self, other: &Model, id: &str) -> Option<NodeId> {
        other.find(id).map(|n| self.import_node(other, n))
    }

    /// [`Model::import`] of a node found already.
    pub fn import_node(&mut self, other: &Model, n: NodeId) -> NodeId {
        let o = &other.nodes[n.0 as usize];
        let node = Node {
            id: o.id.clone(),
            label: o.label.clone(),
            symbol: o.symbol.clone(),
            unit: o.unit,
            price_year: o.price_year,
            input: None,
            value: o.value.as_ref().map(|v| o.shown(*v)).map_err(Clone::clone),
            kind: Kind::Leaf(Box::new(other.origin(n))),
        };
        self.add(node)
    }

    /// Nodes in the model.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the model has no nodes.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The model cut back to its first `len` nodes (those added since are taken off), with no
    /// analysis's moves or focus pending.
    pub fn truncate(&mut self, len: usize) {
        self.nodes.truncate(len);
        self.operands.truncate(len);
        self.moved.clear();
        self.focus = None;
        self.schedule = None;
    }

    /// Starts a figure: `m.fig("unit.full", "full cost", "full cost").money(year).is(expr)`.
    /// `symbol` is its name inside other figures' formulas.
    pub fn fig(
        &mut self,
        id: impl Into<Text>,
        label: impl Into<Text>,
        symbol: impl Into<Text>,
    ) -> FigureDef<'_> {
        self.begin(id.into(), label.into(), symbol.into())
    }

    /// Starts a figure as the last node, to be finished by [`FigureDef::is`] or
    /// [`FigureDef::none`]. Kept out of line: every figure of the method starts here.
    #[inline(never)]
    fn begin(&mut self, id: Text, label: Text, symbol: Text) -> FigureDef<'_> {
        let def = Def {
            expr: Expr::num(0),
            words: Text::Borrowed(""),
            formula: None,
            undefined: None,
            pinned: false,
            cite: None,
        };
        self.add(Node {
            id,
            label,
            symbol,
            unit: Unit::Count,
            price_year: None,
            input: None,
            value: Ok(Decimal::ZERO),
            kind: Kind::Figure(Box::new(def)),
        });
        FigureDef { model: self }
    }

    /// A part: a named piece that figures list as one of their inputs (one line's share of a
    /// stage, say), worked out once and again only when what it reads moves, but not a figure
    /// of the explanation itself. It cites `origin`.
    pub fn part(
        &mut self,
        name: impl Into<Text>,
        symbol: impl Into<Text>,
        origin: Origin,
        value: (Unit, Option<FinancialYear>),
        expr: Expr,
    ) -> Result<NodeId> {
        let cite = Origin::PartOf { of: Box::new(origin) };
        self.fig("", name, symbol).money_in(value.0, value.1).cite(cite).is(expr)
    }

    /// The node with this id (the latest, where a leaf and a figure share one). Found by a
    /// scan from the end: a model is looked into a few times, but a batch makes one a row, so
    /// an index kept up to date would cost more than it saves.
    pub fn find(&self, id: &str) -> Option<NodeId> {
        self.nodes.iter().rposition(|n| n.id == id).map(|i| NodeId(i as u32))
    }

    /// The node that stands for the input `path`, where the model has one.
    pub fn for_input(&self, path: &str) -> Option<NodeId> {
        self.nodes.iter().rposition(|n| n.input.as_deref() == Some(path)).map(|i| NodeId(i as u32))
    }

    /// A node's value, where it has one.
    pub fn value(&self, n: NodeId) -> Option<Decimal> {
        self.nodes[n.0 as usize].value.as_ref().ok().copied()
    }

    /// A node's value as money (zero where it has none).
    pub fn money(&self, n: NodeId) -> Money {
        Money(self.value(n).unwrap_or_default())
    }

    /// A node's value and unit, as shown (a percentage as the percent figure).
    pub fn quantity(&self, n: NodeId) -> Quantity {
        let node = &self.nodes[n.0 as usize];
        let v = node.value.as_ref().copied().unwrap_or_default();
        Quantity { value: node.shown(v), unit: node.unit, price_year: node.price_year }
    }

    /// A node's id.
    pub fn id(&self, n: NodeId) -> &str {
        &self.nodes[n.0 as usize].id
    }

    /// A node's label.
    pub fn label(&self, n: NodeId) -> &str {
        &self.nodes[n.0 as usize].label
    }

    /// Where a leaf came from, or what a part cites; a figure is cited by its id.
    pub fn origin(&self, n: NodeId) -> Origin {
        let node = &self.nodes[n.0 as usize];
        match &node.kind {
            Kind::Leaf(o) => (**o).clone(),
            Kind::Figure(def) => match &def.cite {
                Some(o) => o.clone(),
                None => Origin::Figure { id: node.id.to_string() },
            },
        }
    }

    /// Evaluates an expression over this model's nodes (a percentage as its fraction).
    pub fn eval(&self, e: &Expr) -> std::result::Result<Decimal, Stop> {
        let operands = &self.operands;
        e.eval(&|n| operands[n as usize].ok_or(Stop::Undefined(n)))
    }

    /// Works out a figure's value from its expression (a percentage figure holds the fraction
    /// its expression gives, shown as the percent figure).
    fn work_out(&self, node: &Node, def: &Def) -> Result<std::result::Result<Decimal, Text>> {
        match self.eval(&def.expr) {
            Ok(v) => Ok(Ok(v)),
            Err(Stop::Overflow) => Err(self.overflow(node, def)),
            Err(stop @ (Stop::DivideByZero | Stop::NotPositive(_))) => match &def.undefined {
                Some(why) => {
                    let found = match stop {
                        Stop::NotPositive(v) => Money(v).display_pence(),
                        _ => "0".into(),
                    };
                    Ok(Err(Text::Owned(why.replace("{}", &found))))
                }
                None => Err(Error::internal(format!("{} [{}]: divides by zero", node.label, node.id))),
            },
            Err(Stop::Undefined(n)) => {
                let other = &self.nodes[n as usize];
                Ok(Err(Text::Owned(format!("{} has no value", other.label))))
            }
        }
    }

    fn overflow(&self, node: &Node, def: &Def) -> Error {
        let inputs: Vec<String> = def
            .reads()
            .into_iter()
            .map(|n| {
                let i = &self.nodes[n as usize];
                let value = Quantity {
                    value: i.shown(i.value.as_ref().copied().unwrap_or_default()),
                    unit: i.unit,
                    price_year: None,
                };
                let at = match &i.kind {
                    Kind::Leaf(o) => match &**o {
                        Origin::Input { location, .. } => format!(" ({location})"),
                        _ => String::new(),
                    },
                    _ => String::new(),
                };
                format!("{} {}{at}", i.label, value.display_exact())
            })
            .collect();
        Error::Overflow { figure: format!("{} [{}]", node.label, node.id), inputs: inputs.join(", ") }
    }

    /// Holds a node at a value, as an analysis does when it moves the input the node stands
    /// for; [`Model::recompute`] then works out again what depends on it.
    /// The value is as shown: a percentage as the percent figure.
    pub fn pin(&mut self, n: NodeId, value: Decimal) {
        let node = &mut self.nodes[n.0 as usize];
        node.value = Ok(value);
        if let Kind::Figure(def) = &mut node.kind {
            def.pinned = true;
            if node.unit == Unit::Percent {
                node.value = Ok(value / Decimal::ONE_HUNDRED);
            }
        }
        self.operands[n.0 as usize] = node.operand();
        // Kept in order without repeats as it grows: an analysis pins a few nodes at a time.
        if let Err(at) = self.moved.binary_search(&n.0) {
            self.moved.insert(at, n.0);
        }
    }

    /// From now on, [`Model::recompute`] works out again only what `outputs` depend on: the
    /// other figures keep their values however the inputs move. For an analysis that reads
    /// only a few figures (a Monte Carlo run reads the difference between the routes).
    pub fn focus(&mut self, outputs: &[NodeId]) {
        let mut needed = vec![false; self.nodes.len()];
        for o in outputs {
            needed[o.0 as usize] = true;
        }
        // Nodes come after everything they read, so one pass backwards finds every ancestor.
        for i in (0..self.nodes.len()).rev() {
            if needed[i]
                && let Kind::Figure(def) = &self.nodes[i].kind
            {
                for r in def.reads() {
                    needed[r as usize] = true;
                }
            }
        }
        self.focus = Some(needed);
    }

    /// Works out again, in order, every figure that depends on a node pinned since the last
    /// call (of those in focus, where [`Model::focus`] was called).
    pub fn recompute(&mut self) -> Result<()> {
        let moved = std::mem::take(&mut self.moved);
        if moved.is_empty() {
            return Ok(());
        }
        let order = match self.schedule.take() {
            Some((m, order)) if m == moved => order,
            _ => self.reached_from(&moved),
        };
        for &i in &order {
            let node = &self.nodes[i as usize];
            let Kind::Figure(def) = &node.kind else { continue };
            let value = self.work_out(node, def)?;
            self.operands[i as usize] = value.as_ref().ok().copied();
            self.nodes[i as usize].value = value;
        }
        self.schedule = Some((moved, order));
        Ok(())
    }

    /// The figures (not pinned, in focus) that depend on the `moved` nodes, in order.
    fn reached_from(&self, moved: &[u32]) -> Vec<u32> {
        let mut changed = vec![false; self.nodes.len()];
        for &m in moved {
            changed[m as usize] = true;
        }
        let mut order = Vec::new();
        for i in moved[0] as usize..self.nodes.len() {
            if self.focus.as_ref().is_some_and(|f| !f[i]) {
                continue;
            }
            let Kind::Figure(def) = &self.nodes[i].kind else { continue };
            if def.pinned || !def.reads().iter().any(|&r| changed[r as usize]) {
                continue;
            }
            changed[i] = true;
            order.push(i as u32);
        }
        order
    }

    /// Every figure with its derivation, in the order worked out.
    pub fn explanation(&self) -> Explanation {
        let mut ex = Explanation::new();
        for i in 0..self.nodes.len() {
            if let Some(f) = self.figure(NodeId(i as u32)) {
                ex.push(f);
            }
        }
        ex
    }

    /// The figures whose id starts with `prefix`, with their derivations.
    pub fn explanation_of(&self, prefix: &str) -> Explanation {
        let mut ex = Explanation::new();
        for (i, node) in self.nodes.iter().enumerate() {
            if node.id.starts_with(prefix)
                && let Some(f) = self.figure(NodeId(i as u32))
            {
                ex.push(f);
            }
        }
        ex
    }

    /// Of the figures whose id starts with `prefix`, only their ids, results and the leaves
    /// they read (each leaf's value and origin: the user's field, a reference figure or a
    /// default), with no text: what set them, for a batch that counts the fee schedule rows
    /// its placements used without keeping their derivations.
    pub fn sources_of(&self, prefix: &str) -> Explanation {
        let mut ex = Explanation::new();
        for (i, node) in self.nodes.iter().enumerate() {
            let Kind::Figure(def) = &node.kind else { continue };
            if !node.id.starts_with(prefix) || def.cite.is_some() {
                continue;
            }
            let inputs = def
                .reads()
                .into_iter()
                .filter(|&r| matches!(self.nodes[r as usize].kind, Kind::Leaf(_)))
                .map(|r| Term {
                    name: String::new(),
                    value: self.quantity(NodeId(r)),
                    origin: self.origin(NodeId(r)),
                })
                .collect();
            let result = match &node.value {
                Ok(_) => Outcome::Value { quantity: self.quantity(NodeId(i as u32)) },
                Err(why) => Outcome::NotDefined { reason: why.to_string() },
            };
            ex.push(Figure {
                id: node.id.to_string(),
                label: String::new(),
                formula: String::new(),
                words: String::new(),
                inputs,
                calc: None,
                result,
            });
        }
        ex
    }

    /// One figure with its derivation; `None` for a leaf or a part.
    pub fn figure(&self, n: NodeId) -> Option<Figure> {
        let node = &self.nodes[n.0 as usize];
        let Kind::Figure(def) = &node.kind else { return None };
        if def.cite.is_some() {
            return None;
        }
        // The inputs: each node and part the expression uses, once, in the order first used.
        let mut slots: Vec<&Expr> = Vec::new();
        def.expr.visit(&mut |e| {
            if !slots.contains(&e) {
                slots.push(e);
            }
        });
        let inputs = slots.iter().map(|e| self.term(e)).collect();
        let calc = def.expr.renumber(&mut |e| slots.iter().position(|s| *s == e).unwrap_or(0) as u32);
        let symbol = |e: &Expr| match e {
            Expr::Input(n) => self.nodes[*n as usize].symbol.to_string(),
            Expr::Part(p) => p.symbol.to_string(),
            _ => String::new(),
        };
        let formula = match &def.formula {
            Some(f) => f.to_string(),
            None => format!("{} = {}", node.symbol, def.expr.words(&symbol)),
        };
        let result = match &node.value {
            Ok(_) => Outcome::Value { quantity: self.quantity(n) },
            Err(why) => Outcome::NotDefined { reason: why.to_string() },
        };
        Some(Figure {
            id: node.id.to_string(),
            label: node.label.to_string(),
            formula,
            words: def.words.to_string(),
            inputs,
            calc: Some(calc),
            result,
        })
    }

    fn term(&self, e: &Expr) -> Term {
        match e {
            Expr::Part(p) => {
                let v = self.eval(&p.expr).unwrap_or_default();
                let value = if p.unit == Unit::Percent { crate::expr::percent_of(v) } else { v };
                Term {
                    name: p.name.to_string(),
                    value: Quantity { value, unit: p.unit, price_year: p.price_year },
                    origin: p.origin.clone(),
                }
            }
            Expr::Input(n) => {
                let node = &self.nodes[*n as usize];
                let value = match &node.value {
                    Ok(_) => self.quantity(NodeId(*n)),
                    Err(_) => Quantity::plain(Decimal::ZERO, Unit::Count),
                };
                Term { name: node.label.to_string(), value, origin: self.origin(NodeId(*n)) }
            }
            _ => Term {
                name: String::new(),
                value: Quantity::plain(Decimal::ZERO, Unit::Count),
                origin: Origin::Default { reason: String::new() },
            },
        }
    }
}

impl Model {
    /// Makes each part in the expression a part of the model, in place.
    fn hoist(&mut self, e: &mut Expr) -> Result<()> {
        match e {
            Expr::Part(p) => {
                let mut inner = std::mem::replace(&mut p.expr, Expr::Num(Decimal::ZERO));
                self.hoist(&mut inner)?;
                let origin = std::mem::replace(&mut p.origin, Origin::Default { reason: String::new() });
                let name = std::mem::take(&mut p.name);
                let symbol = std::mem::take(&mut p.symbol);
                *e = self.part(name, symbol, origin, (p.unit, p.price_year), inner)?.e();
            }
            Expr::Input(_) | Expr::Num(_) => {}
            Expr::Op(_, a, b) => {
                self.hoist(a)?;
                self.hoist(b)?;
            }
            Expr::Neg(a) | Expr::Positive(a) => self.hoist(a)?,
            Expr::Sum(terms, _) | Expr::Chosen(_, terms) => {
                for t in terms {
                    self.hoist(t)?;
                }
            }
            Expr::Allocate(_, args) => {
                for t in args.iter_mut() {
                    self.hoist(t)?;
                }
            }
        }
        Ok(())
    }
}

impl FigureDef<'_> {
    /// The figure being defined: the model's last node.
    fn node(&mut self) -> Option<&mut Node> {
        self.model.nodes.last_mut()
    }

    /// Its definition.
    fn def(&mut self) -> Option<&mut Def> {
        match &mut self.node()?.kind {
            Kind::Figure(def) => Some(def),
            Kind::Leaf(_) => None,
        }
    }

    /// Its unit (a count by default).
    pub fn unit(mut self, unit: Unit) -> Self {
        if let Some(n) = self.node() {
            n.unit = unit;
        }
        self
    }

    /// Money in a price year.
    pub fn money(self, year: Option<FinancialYear>) -> Self {
        self.money_in(Unit::Gbp, year)
    }

    /// Money of another unit (a week, a year) in a price year.
    pub fn money_in(mut self, unit: Unit, year: Option<FinancialYear>) -> Self {
        if let Some(n) = self.node() {
            n.unit = unit;
            n.price_year = year;
        }
        self
    }

    /// The choice the method makes, in words, beside the formula.
    pub fn words(mut self, words: impl Into<Text>) -> Self {
        if let Some(d) = self.def() {
            d.words = words.into();
        }
        self
    }

    /// The formula in words, for a figure that is a choice or a lookup rather than arithmetic
    /// (otherwise it is written from the expression).
    pub fn formula(mut self, formula: impl Into<Text>) -> Self {
        if let Some(d) = self.def() {
            d.formula = Some(formula.into());
        }
        self
    }

    /// Why the figure has no value where its expression divides by zero or is not positive;
    /// `{}` stands for the value found.
    pub fn undefined(mut self, why: impl Into<Text>) -> Self {
        if let Some(d) = self.def() {
            d.undefined = Some(why.into());
        }
        self
    }

    /// This figure stands for the input `path` (its value where the user leaves it out).
    pub fn stands_for(mut self, path: impl Into<Text>) -> Self {
        if let Some(n) = self.node() {
            n.input = Some(path.into());
        }
        self
    }

    /// What a part cites.
    fn cite(mut self, origin: Origin) -> Self {
        if let Some(d) = self.def() {
            d.cite = Some(origin);
        }
        self
    }

    /// Finishes a figure that has no value here, saying why (the inputs it needs are not
    /// given, say); its formula is the one [`FigureDef::formula`] gives.
    pub fn none(self, why: impl Into<Text>) -> NodeId {
        self.finish_none(why.into())
    }

    #[inline(never)]
    fn finish_none(mut self, why: Text) -> NodeId {
        if let Some(d) = self.def() {
            d.expr = Expr::chosen(Decimal::ZERO, []);
        }
        let model = self.model;
        if let (Some(node), Some(operand)) = (model.nodes.last_mut(), model.operands.last_mut()) {
            node.value = Err(why);
            *operand = None;
        }
        NodeId(model.nodes.len().saturating_sub(1) as u32)
    }

    /// Finishes the figure with its expression, and works out its value. Each [`Expr::Part`]
    /// in it becomes a part of the model ([`Model::part`]).
    pub fn is(self, expr: impl Into<Expr>) -> Result<NodeId> {
        self.finish(expr.into())
    }

    /// [`FigureDef::is`]. The figure is worked out where it stands, as the model's last node;
    /// where its expression names parts, it is taken off the end while they are added, so they
    /// come before it.
    #[inline(never)]
    fn finish(self, mut expr: Expr) -> Result<NodeId> {
        let model = self.model;
        if expr.has_part() {
            let (Some(node), Some(_)) = (model.nodes.pop(), model.operands.pop()) else {
                return Err(Error::internal("a figure was finished that was not begun"));
            };
            model.hoist(&mut expr)?;
            model.add(node);
        }
        let last = model.nodes.len().saturating_sub(1);
        let Some(node) = model.nodes.get_mut(last) else {
            return Err(Error::internal("a figure was finished that was not begun"));
        };
        let Kind::Figure(def) = &mut node.kind else {
            return Err(Error::internal(format!("{} [{}] is not a figure", node.label, node.id)));
        };
        def.expr = expr;
        let node = &model.nodes[last];
        let Kind::Figure(def) = &node.kind else {
            return Err(Error::internal("a figure was finished that was not begun"));
        };
        let value = model.work_out(node, def)?;
        let node = &mut model.nodes[last];
        node.value = value;
        model.operands[last] = node.operand();
        Ok(NodeId(last as u32))
    }
}

impl Node {
    /// The value as expressions read it: a percentage leaf as its fraction (a percentage
    /// figure holds its fraction already).
    fn operand(&self) -> Option<Decimal> {
        let v = *self.value.as_ref().ok()?;
        match self.kind {
            Kind::Leaf(_) if self.unit == Unit::Percent => Some(v / Decimal::ONE_HUNDRED),
            _ => Some(v),
        }
    }

    /// A value as shown: a percentage figure's fraction as the percent figure.
    fn shown(&self, v: Decimal) -> Decimal {
        match self.kind {
            Kind::Figure(_) if self.unit == Unit::Percent => crate::expr::percent_of(v),
            _ => v,
        }
    }
}

impl Def {
    /// Every node the expression reads, each once, in order (its parts are nodes of their own
    /// by the time it is finished). Worked out when an analysis or an explanation asks, not
    /// kept: a batch finishes a few dozen figures a row and asks for none of them.
    fn reads(&self) -> Vec<u32> {
        let mut out = Vec::new();
        self.expr.visit(&mut |x| {
            if let Expr::Input(n) = x
                && !out.contains(n)
            {
                out.push(*n);
            }
        });
        out
    }
}
