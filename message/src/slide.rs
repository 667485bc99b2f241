//! Slides: structured blocks under a message's card, one variant per `type` with its own
//! `data` shape (`messagecards.yml`'s `Slides`, `messageformat.yml`, `bots.yml`'s
//! `BotMessage.slides`).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Number, Value};

use crate::button::Button;
use crate::limits::{self, LimitErrors};
use crate::wire::string_enum;

/// A slide.
///
/// One constructor per kind:
///
/// ```
/// use cliq_message::{ChartStyle, GraphStyle, Slide};
/// let table = Slide::table(["Field", "Value"], [[("Field", "Priority"), ("Value", "Critical")]]);
/// let list = Slide::list(["First", "Second"]);
/// let label = Slide::label([("Revenue", "$500,000"), ("Growth", "25%")]);
/// let images = Slide::images(["https://example.com/a.png"]);
/// let text = Slide::text("Plain or *formatted* text");
/// let chart = Slide::percentage_chart(ChartStyle::Pie, [("Social", 40), ("Search", 60)]);
/// let graph = Slide::graph(GraphStyle::Trend, "Months", "Users", [("Asana", vec![("Jan", 9), ("Feb", 6)])]);
/// let titled = Slide::list(["a"]).title("Steps");
/// assert_eq!(serde_json::to_value(&titled).unwrap()["title"], "Steps");
/// # let _ = (table, label, images, text, chart, graph);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
#[non_exhaustive]
pub enum Slide {
    /// `table`: headers and rows (each row maps a header to its cell).
    #[serde(rename = "table")]
    Table(SlideBody<TableData>),
    /// `list`: bullet items.
    #[serde(rename = "list")]
    List(SlideBody<Vec<String>>),
    /// `label`: labelled values. `messageformat.yml` (and Zoho's samples) write each item as
    /// `{"<label>": "<value>"}`, `bots.yml` as `{"label": …, "value": …}`: both read (an item
    /// is a JSON object); [`Slide::label`] writes the first.
    #[serde(rename = "label")]
    Label(SlideBody<Vec<Map<String, Value>>>),
    /// `images`: image URLs.
    #[serde(rename = "images")]
    Images(SlideBody<Vec<String>>),
    /// `text`: a block of text.
    #[serde(rename = "text")]
    Text(SlideBody<String>),
    /// `percentage_chart`: up to 5 segments (`messageformat.yml`).
    #[serde(rename = "percentage_chart")]
    PercentageChart(SlideBody<Vec<ChartSegment>, ChartStyles>),
    /// `graph`: up to 5 categories of up to 20 points (`messageformat.yml`).
    #[serde(rename = "graph")]
    Graph(SlideBody<Vec<GraphCategory>, GraphStyles>),
    /// Anything else, as sent.
    #[serde(untagged)]
    Other(Value),
}

/// A slide's title, data, styles and buttons.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlideBody<D, S = Map<String, Value>> {
    /// Heading.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The content; its shape depends on the kind.
    pub data: D,
    /// Styles (charts and graphs: how they are drawn).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub styles: Option<S>,
    /// Buttons under the slide (Zoho's SDKs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buttons: Option<Vec<Button>>,
    /// Any other field, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl<D, S> SlideBody<D, S> {
    /// Data without a title.
    pub fn new(data: D) -> SlideBody<D, S> {
        SlideBody {
            title: None,
            data,
            styles: None,
            buttons: None,
            extra: Map::new(),
        }
    }
}

/// `table` data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct TableData {
    /// Column headers.
    pub headers: Vec<String>,
    /// Rows: header → cell.
    #[serde(default)]
    pub rows: Vec<Map<String, Value>>,
    /// Any other field, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A segment of a percentage chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChartSegment {
    /// What it stands for (≤ 20 characters).
    pub label: String,
    /// Its size, relative to the others.
    pub value: Number,
    /// Any other field, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

string_enum! {
    /// How a percentage chart is drawn (`styles.preview`).
    pub enum ChartStyle {
        /// `pie`
        Pie = "pie",
        /// `doughnut`
        Doughnut = "doughnut",
        /// `semi_doughnut`
        SemiDoughnut = "semi_doughnut",
    }
}

/// Styles of a percentage chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ChartStyles {
    /// How it is drawn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview: Option<ChartStyle>,
    /// Any other field, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A category of a graph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphCategory {
    /// Its name (≤ 20 characters).
    pub category: String,
    /// Its points (≤ 20).
    pub values: Vec<ChartSegment>,
    /// Any other field, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

string_enum! {
    /// How a graph is drawn (`styles.preview`).
    pub enum GraphStyle {
        /// `vertical_bar`
        VerticalBar = "vertical_bar",
        /// `vertical_stacked_bar`
        VerticalStackedBar = "vertical_stacked_bar",
        /// `trend`
        Trend = "trend",
    }
}

/// Styles of a graph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct GraphStyles {
    /// How it is drawn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview: Option<GraphStyle>,
    /// X axis name (≤ 20 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x_axis: Option<String>,
    /// Y axis name (≤ 20 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y_axis: Option<String>,
    /// Any other field, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn segment(label: impl Into<String>, value: impl Into<Number>) -> ChartSegment {
    ChartSegment {
        label: label.into(),
        value: value.into(),
        extra: Map::new(),
    }
}

impl Slide {
    /// A `table`: headers and rows of `(header, cell)` pairs.
    pub fn table<H, R, C, K, V>(headers: H, rows: R) -> Slide
    where
        H: IntoIterator,
        H::Item: Into<String>,
        R: IntoIterator<Item = C>,
        C: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Slide::Table(SlideBody::new(TableData {
            headers: headers.into_iter().map(Into::into).collect(),
            rows: rows
                .into_iter()
                .map(|row| {
                    row.into_iter()
                        .map(|(k, v)| (k.into(), Value::String(v.into())))
                        .collect()
                })
                .collect(),
            extra: Map::new(),
        }))
    }

    /// A `list`.
    pub fn list<I: IntoIterator<Item = S>, S: Into<String>>(items: I) -> Slide {
        Slide::List(SlideBody::new(items.into_iter().map(Into::into).collect()))
    }

    /// A `label` slide, written `[{"<label>": "<value>"}, …]` as `messageformat.yml`'s example.
    pub fn label<I, K, V>(pairs: I) -> Slide
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Slide::Label(SlideBody::new(
            pairs
                .into_iter()
                .map(|(k, v)| {
                    let mut m = Map::new();
                    m.insert(k.into(), Value::String(v.into()));
                    m
                })
                .collect(),
        ))
    }

    /// An `images` slide.
    pub fn images<I: IntoIterator<Item = S>, S: Into<String>>(urls: I) -> Slide {
        Slide::Images(SlideBody::new(urls.into_iter().map(Into::into).collect()))
    }

    /// A `text` slide.
    pub fn text(text: impl Into<String>) -> Slide {
        Slide::Text(SlideBody::new(text.into()))
    }

    /// A `percentage_chart`.
    pub fn percentage_chart<I, L, N>(style: ChartStyle, segments: I) -> Slide
    where
        I: IntoIterator<Item = (L, N)>,
        L: Into<String>,
        N: Into<Number>,
    {
        let mut body = SlideBody::new(segments.into_iter().map(|(l, n)| segment(l, n)).collect());
        body.styles = Some(ChartStyles {
            preview: Some(style),
            extra: Map::new(),
        });
        Slide::PercentageChart(body)
    }

    /// A `graph`: categories of `(label, value)` points.
    pub fn graph<I, C, P, L, N>(
        style: GraphStyle,
        x_axis: impl Into<String>,
        y_axis: impl Into<String>,
        categories: I,
    ) -> Slide
    where
        I: IntoIterator<Item = (C, P)>,
        C: Into<String>,
        P: IntoIterator<Item = (L, N)>,
        L: Into<String>,
        N: Into<Number>,
    {
        let data = categories
            .into_iter()
            .map(|(c, points)| GraphCategory {
                category: c.into(),
                values: points.into_iter().map(|(l, n)| segment(l, n)).collect(),
                extra: Map::new(),
            })
            .collect();
        let mut body = SlideBody::new(data);
        body.styles = Some(GraphStyles {
            preview: Some(style),
            x_axis: Some(x_axis.into()),
            y_axis: Some(y_axis.into()),
            extra: Map::new(),
        });
        Slide::Graph(body)
    }

    /// Sets the heading (an [`Slide::Other`] object gets a `title` field).
    pub fn title(mut self, title: impl Into<String>) -> Slide {
        let title = title.into();
        match &mut self {
            Slide::Table(b) => b.title = Some(title),
            Slide::List(b) | Slide::Images(b) => b.title = Some(title),
            Slide::Label(b) => b.title = Some(title),
            Slide::Text(b) => b.title = Some(title),
            Slide::PercentageChart(b) => b.title = Some(title),
            Slide::Graph(b) => b.title = Some(title),
            Slide::Other(v) => {
                if let Some(o) = v.as_object_mut() {
                    o.insert("title".into(), Value::String(title));
                }
            }
        }
        self
    }

    /// Every limit this slide breaks.
    pub fn validate(&self) -> Result<(), LimitErrors> {
        let mut e = LimitErrors::default();
        match self {
            Slide::PercentageChart(b) => {
                e.count(limits::CHART_SEGMENTS, "/data", b.data.len());
                for (i, s) in b.data.iter().enumerate() {
                    e.str(limits::CHART_LABEL, &format!("/data/{i}/label"), &s.label);
                }
            }
            Slide::Graph(b) => {
                e.count(limits::GRAPH_CATEGORIES, "/data", b.data.len());
                for (i, c) in b.data.iter().enumerate() {
                    e.str(
                        limits::CHART_LABEL,
                        &format!("/data/{i}/category"),
                        &c.category,
                    );
                    e.count(
                        limits::GRAPH_POINTS,
                        &format!("/data/{i}/values"),
                        c.values.len(),
                    );
                    for (j, p) in c.values.iter().enumerate() {
                        e.str(
                            limits::CHART_LABEL,
                            &format!("/data/{i}/values/{j}/label"),
                            &p.label,
                        );
                    }
                }
                if let Some(s) = &b.styles {
                    e.opt(limits::CHART_LABEL, "/styles/x_axis", &s.x_axis);
                    e.opt(limits::CHART_LABEL, "/styles/y_axis", &s.y_axis);
                }
            }
            _ => {}
        }
        e.into_result()
    }
}
