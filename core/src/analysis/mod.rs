//! Analyses beyond one comparison (see `docs/analyses.md`): sensitivity to each input, a Monte
//! Carlo run over input ranges, the routes against approvals and waits, benchmarking agencies
//! against each other, and the interagency fee budget for a year's forecast. Each explains its
//! figures like the comparison does.

pub mod benchmark;
pub mod budget;
pub mod curves;
pub mod inputs;
pub mod sensitivity;
pub mod uncertainty;

pub use benchmark::{Benchmark, Member, benchmark};
pub use budget::{Budget, Forecast, budget};
pub use inputs::InputId;
pub use sensitivity::{LowHigh, Sensitivity, SensitivityOptions, Swing, sensitivity};
pub use uncertainty::{Distribution, Range, Simulation, SimulationOptions, simulate};
