//! Word lists for demo names: half the shop in Simplified Chinese, half in English, as a
//! Chinese shop with foreign customers and imported goods would look.

use fastrand::Rng;

const ZH_QUALITY: &[&str] = &[
    "精选",
    "有机",
    "经典",
    "进口",
    "特级",
    "家庭装",
    "礼盒装",
    "手工",
    "新款",
    "优选",
];
const ZH_GOODS: &[&str] = &[
    "绿茶",
    "红茶",
    "普洱茶",
    "东北大米",
    "花生油",
    "生抽酱油",
    "陈醋",
    "挂面",
    "保温杯",
    "笔记本",
    "中性笔",
    "雨伞",
    "毛巾",
    "洗衣液",
    "牙膏",
    "纸巾",
    "蜂蜜",
    "红枣",
    "核桃",
    "枸杞",
    "月饼",
    "瓜子",
    "电饭煲",
    "台灯",
];
const ZH_UNIT: &[&str] = &[
    "500克",
    "1千克",
    "5千克",
    "2升",
    "12支装",
    "3件套",
    "大号",
    "小号",
    "500毫升",
    "10包",
];
const EN_QUALITY: &[&str] = &[
    "Premium", "Organic", "Classic", "Imported", "Deluxe", "Family", "Handmade", "Everyday",
];
const EN_GOODS: &[&str] = &[
    "Green Tea",
    "Coffee Beans",
    "Olive Oil",
    "Pasta",
    "Notebook",
    "Ballpoint Pens",
    "Umbrella",
    "Towel",
    "Dish Soap",
    "Toothbrush",
    "Honey",
    "Almonds",
    "Desk Lamp",
    "Water Bottle",
    "Backpack",
    "Rice Cooker",
];
const EN_UNIT: &[&str] = &[
    "250 g",
    "1 kg",
    "1 L",
    "Pack of 12",
    "Set of 3",
    "Large",
    "Small",
    "500 ml",
];

const ZH_SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
];
const ZH_GIVEN: &[&str] = &[
    "伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
    "秀兰", "霞", "平", "刚", "桂英", "晨", "浩", "宇", "欣怡", "子轩",
];
const ZH_CITIES: &[&str] = &[
    "上海市浦东新区",
    "北京市朝阳区",
    "广州市天河区",
    "深圳市南山区",
    "杭州市西湖区",
    "成都市武侯区",
    "南京市鼓楼区",
    "武汉市洪山区",
    "苏州市工业园区",
    "西安市雁塔区",
];
const ZH_STREETS: &[&str] = &[
    "人民路",
    "解放路",
    "中山路",
    "建设路",
    "和平街",
    "长江路",
    "文化路",
    "花园路",
];
const EN_FIRST: &[&str] = &[
    "Alice", "Ben", "Chloe", "David", "Emma", "Felix", "Grace", "Henry", "Isla", "Jack", "Lucy", "Oliver", "Sophie",
    "Tom",
];
const EN_LAST: &[&str] = &[
    "Smith", "Brown", "Wilson", "Taylor", "Martin", "Clarke", "Walker", "Wright", "Green", "Hall", "Wood", "Turner",
];

fn pick<'a>(rng: &mut Rng, list: &[&'a str]) -> &'a str {
    list[rng.usize(..list.len())]
}

/// A demo product as the catalogue holds it.
pub struct ProductName {
    pub name: String,
    pub description: String,
    /// Its category path (食品/茶饮), made on first use.
    pub category: &'static str,
    /// One of the default units (settings::DEFAULT_UNITS).
    pub unit: &'static str,
}

/// Where each kind of goods sits in the catalogue and the unit it is sold by.
fn kind(goods: &str) -> (&'static str, &'static str) {
    match goods {
        "绿茶" | "红茶" | "普洱茶" | "Green Tea" | "Coffee Beans" => ("食品/茶饮", "盒"),
        "东北大米" | "挂面" | "Pasta" => ("食品/粮油", "袋"),
        "花生油" | "生抽酱油" | "陈醋" | "Olive Oil" => ("食品/粮油", "瓶"),
        "蜂蜜" | "Honey" => ("食品/休闲零食", "瓶"),
        "红枣" | "核桃" | "枸杞" | "瓜子" | "Almonds" => ("食品/休闲零食", "袋"),
        "月饼" => ("食品/休闲零食", "盒"),
        "牙膏" | "Toothbrush" => ("日用百货/个人护理", "支"),
        "毛巾" | "Towel" => ("日用百货/个人护理", "件"),
        "纸巾" => ("日用百货/个人护理", "包"),
        "洗衣液" | "Dish Soap" => ("日用百货/家居清洁", "瓶"),
        "笔记本" | "中性笔" | "Notebook" | "Ballpoint Pens" => ("日用百货/文具", "件"),
        "电饭煲" | "台灯" | "Desk Lamp" | "Rice Cooker" => ("家电", "台"),
        _ => ("日用百货", "个"),
    }
}

/// A product's name, description, category and unit.
pub fn product(rng: &mut Rng) -> ProductName {
    let (name, description, goods) = if rng.bool() {
        let (q, g, u) = (pick(rng, ZH_QUALITY), pick(rng, ZH_GOODS), pick(rng, ZH_UNIT));
        (format!("{q}{g} {u}"), format!("{q}{g}，规格{u}。"), g)
    } else {
        let (q, g, u) = (pick(rng, EN_QUALITY), pick(rng, EN_GOODS), pick(rng, EN_UNIT));
        (format!("{q} {g}, {u}"), format!("{q} {g} ({u})."), g)
    };
    let (category, unit) = kind(goods);
    ProductName {
        name,
        description,
        category,
        unit,
    }
}

/// The shops a demo shop buys from: name, contact, phone, address.
pub const SUPPLIERS: &[(&str, &str, &str, &str)] = &[
    (
        "华南粮油批发",
        "陈经理",
        "020-8888 1234",
        "广州市白云区江高镇粮油市场12号",
    ),
    ("杭州茗茶供应链", "王芳", "0571-8765 4321", "杭州市西湖区龙井路88号"),
    ("义乌日用百货", "李强", "0579-8512 3456", "义乌市国际商贸城三区"),
    (
        "Shenzhen Home Appliances Co.",
        "David Lin",
        "+86 755 2600 1188",
        "南山区科技园",
    ),
    (
        "Northern Snacks Trading",
        "Grace Zhao",
        "010-6543 2109",
        "北京市朝阳区东三环",
    ),
];

pub struct Person {
    pub name: String,
    pub phone: String,
    pub email: Option<String>,
    pub address: String,
}

pub fn customer(rng: &mut Rng, n: u64) -> Person {
    let phone = format!("1{}{:09}", pick(rng, &["3", "5", "8"]), rng.u32(..1_000_000_000));
    let address = format!("{}{}{}号", pick(rng, ZH_CITIES), pick(rng, ZH_STREETS), rng.u32(1..999));
    if rng.u8(..4) == 0 {
        let (first, last) = (pick(rng, EN_FIRST), pick(rng, EN_LAST));
        Person {
            name: format!("{first} {last}"),
            phone,
            email: Some(format!(
                "{}.{}{n}@example.com",
                first.to_lowercase(),
                last.to_lowercase()
            )),
            address,
        }
    } else {
        Person {
            name: format!("{}{}", pick(rng, ZH_SURNAMES), pick(rng, ZH_GIVEN)),
            phone,
            email: None,
            address,
        }
    }
}
