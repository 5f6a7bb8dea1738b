// The form's fields come from the library (`form_fields`: each field's label, hint, kind, unit
// marks and whether it may be left blank), so the page holds no rule about any field. What is
// here is the form's own arrangement: the lists of lines, their titles and what each is for.
//
// `field` is the library's name for a field, as its error messages give it (`staff[2].salary`,
// `child.age`); `key` is the field's name inside its object.

/** The fields, by the object they are in; set once the library has loaded (`useFields`). */
export const FIELDS = { agency: [], on_costs: [], activity: [], shares: [], lines: {}, child: [], route: [], contribution: [] };

// Each list of lines: its key in the agency, what one line is called, what the list is for, and
// whether its lines have shares by stage (always, optionally, or never).
export const LINES = [
  {
    key: "staff", title: "Staff", one: "staff line", shares: "required",
    about: "Each role: its FTE, salary per FTE and how its time splits across the stages (the four shares add up to 100%).",
  },
  {
    key: "direct", title: "Direct non-staff costs", one: "direct line", shares: "required",
    about: "Medicals, panel fees, training, travel and so on: the year's amount and its shares by stage. Variable lines grow with cases and make up the marginal cost.",
  },
  {
    key: "office", title: "Office running", one: "office line", shares: "optional",
    about: "Accommodation, IT and phones, supplies: an amount a year, or an amount per FTE. Allocated by staff time unless you give the line its own shares.",
  },
  {
    key: "regulation", title: "Regulation", one: "regulation line", shares: "optional",
    about: "Ofsted registration and inspection fees, inspection preparation and hosting.",
  },
  {
    key: "back_office", title: "Back office", one: "back-office line", shares: "none",
    about: "Finance, HR, payroll, IT support, legal, audit, insurance, management: an amount a year, or a recharge in percent of direct cost.",
  },
  {
    key: "capital", title: "Capital", one: "capital line", shares: "optional",
    about: "The annual equivalent cost of buildings and equipment.",
  },
];

/** Takes the library's fields; each list then has its `fields` and a `blank()` line. */
export function useFields(fields) {
  Object.assign(FIELDS, fields);
  for (const spec of LINES) {
    spec.fields = fields.lines[spec.key];
    spec.blank = () => {
      const line = Object.fromEntries(spec.fields.map((f) => [f.key, f.kind === "bool" ? false : ""]));
      if (spec.shares === "required") line.shares = Object.fromEntries(fields.shares.map((f) => [f.key, ""]));
      return line;
    };
  }
}
