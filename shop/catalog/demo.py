"""The demo catalog: the OCOP sectors and product sets, fictional producers, their products, the 23 sales points, stock.

`flask seed-demo` loads it in one transaction and a second run adds nothing: rows are found by their
natural keys (sector code, set number, slug, SKU, sales point code) and only missing ones are inserted;
rows that exist are never touched, so an operator's edits survive. `--scale N` tops the catalog up to
N synthetic products for benchmarks, inserted in bulk.

Products and prices follow the draft catalog in shared/domain/vietnam.md §7, but every producer is
invented (and flagged `is_fictional`) so that no estimated price stands beside a real business; brand
names of real businesses are left out of product names for the same reason.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, insert, select

from shop.catalog.models import (
    CERTIFICATE_MONTHS, Category, Certification, Producer, ProducerKind, Product, ProductCertification,
    ProductStatus, Variant,
)
from shop.extensions import db
from shop.inventory.models import Location, LocationKind, Stock
from shop.places import ward
from shop.sales_points.models import PickupMode, SalesPoint
from shop.text import nfc, slugify

SEED = 2026
PROVINCE = "Tỉnh Quảng Ninh"
#: Demo rows are dated against a fixed day, not the clock, so every run writes the same values.
CATALOG_DAY = dt.date(2026, 6, 30)
#: The shop "opened" here: products certified earlier were listed from this day on.
SHOP_OPENED = dt.date(2024, 12, 1)
BENCH_PREFIX = "bench-"
BENCH_SKU_PREFIX = "QN-BENCH-"
VN_UTC_OFFSET = dt.timedelta(hours=7)


def _rng(*key) -> random.Random:
    """Return a generator seeded by SEED and a stable key, so a row never depends on which others exist."""
    return random.Random(f"{SEED}:" + ":".join(str(k) for k in key))


def add_months(day: dt.date, months: int) -> dt.date:
    """Return the same day `months` later, clamped to the month's end (31 Jan + 1 → 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    next_month = dt.date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last_day))


def ean13(first_twelve: str) -> str:
    """Append the EAN-13 check digit (weights 1,3,1,3… from the left)."""
    assert len(first_twelve) == 12 and first_twelve.isdigit(), first_twelve
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first_twelve))
    return first_twelve + str((10 - total % 10) % 10)


def _unique_slug(text: str, taken: set[str], limit: int = 80) -> str:
    """Slugify text, cut at a word boundary to fit the column, and add -2, -3… until unused."""
    base = slugify(text)
    if len(base) > limit:
        base = base[:limit].rsplit("-", 1)[0]
    slug, n = base, 2
    while slug in taken:
        suffix = f"-{n}"
        slug, n = base[: limit - len(suffix)] + suffix, n + 1
    taken.add(slug)
    return slug


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    """Return a Vietnam-local hour of a day as an aware UTC datetime."""
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC) - VN_UTC_OFFSET


def _address(street: str, ward_code: str) -> str:
    """Write a post-2025 two-level address: street or hamlet, commune/ward, province."""
    return f"{street}, {ward(ward_code).name}, {PROVINCE}"


# ---- sectors and product sets -------------------------------------------------------------------

#: The six OCOP sectors (QĐ 148/QĐ-TTg): code, Vietnamese name, en, zh, ko, accent colour.
#: Colours are dark enough for white text (contrast ≥ 4.5:1) and tell the sectors apart at a glance.
SECTORS = (
    ("I", "Thực phẩm", "Food", "食品", "식품", "#2f6f4f"),  # deep green
    ("II", "Đồ uống", "Drinks", "饮料", "음료", "#8a5a14"),  # amber brown
    ("III", "Dược liệu và sản phẩm từ dược liệu", "Medicinal herbs and herbal products",
     "药材及药材制品", "약재 및 약재 제품", "#1f6f78"),  # teal
    ("IV", "Hàng thủ công mỹ nghệ", "Handicrafts", "手工艺品", "수공예품", "#a4492f"),  # terracotta
    ("V", "Sinh vật cảnh", "Ornamental plants and animals", "观赏动植物", "관상용 동식물", "#7b3f6e"),  # plum
    ("VI", "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch",
     "Community tourism, eco-tourism and destinations", "社区旅游、生态旅游及旅游景点",
     "지역사회 관광, 생태 관광 및 관광지", "#2c5d8f"),  # blue
)

#: The 26 product sets (bộ sản phẩm) in the national order: number, sector, vi, en, zh, ko.
PRODUCT_SETS = (
    (1, "I", "Rau, củ, quả, hạt tươi", "Fresh vegetables, fruit and nuts", "新鲜蔬菜、水果和坚果",
     "신선 채소·과일·견과"),
    (2, "I", "Thịt, thủy sản, trứng, sữa tươi", "Fresh meat, seafood, eggs and milk", "鲜肉、水产、蛋和鲜奶",
     "신선 육류·수산물·달걀·우유"),
    (3, "I", "Gạo, ngũ cốc, hạt sơ chế khác", "Rice, cereals and other grains", "大米、谷物及其他初加工籽粒",
     "쌀·곡물·기타 곡류"),
    (4, "I", "Mật ong, mật khác và nông sản thực phẩm khác", "Honey, syrups and other farm foods",
     "蜂蜜、糖浆及其他农产食品", "꿀·당밀 및 기타 농산 식품"),
    (5, "I", "Đồ ăn nhanh", "Convenience foods", "方便食品", "간편식"),
    (6, "I", "Chế biến từ gạo, ngũ cốc", "Rice and cereal products", "大米及谷物制品", "쌀·곡물 가공품"),
    (7, "I", "Chế biến từ rau, củ, quả, hạt", "Vegetable, fruit and nut products", "蔬菜、水果和坚果制品",
     "채소·과일·견과 가공품"),
    (8, "I", "Chế biến từ thịt, trứng, sữa, thủy sản, mật ong", "Meat, egg, dairy, seafood and honey products",
     "肉、蛋、奶、水产及蜂蜜制品", "육류·달걀·유제품·수산물·꿀 가공품"),
    (9, "I", "Tương, nước mắm, gia vị dạng lỏng khác", "Sauces, fish sauce and liquid seasonings",
     "酱料、鱼露及液体调味品", "장류·피시소스·액상 조미료"),
    (10, "I", "Gia vị khác", "Spices and other seasonings", "其他调味品", "기타 향신료·양념"),
    (11, "I", "Chè tươi, chè chế biến", "Tea", "茶叶", "차"),
    (12, "I", "Sản phẩm trà từ thực vật khác", "Herbal and flower teas", "花草茶", "꽃차·허브차"),
    (13, "I", "Cà phê, ca cao", "Coffee and cocoa", "咖啡、可可", "커피·카카오"),
    (14, "II", "Rượu trắng", "Rice spirits", "白酒", "증류주"),
    (15, "II", "Đồ uống có cồn khác", "Other alcoholic drinks", "其他酒类", "기타 주류"),
    (16, "II", "Nước khoáng thiên nhiên, nước uống đóng chai", "Mineral and bottled water",
     "天然矿泉水、瓶装饮用水", "천연 광천수·생수"),
    (17, "II", "Đồ uống không cồn khác", "Other soft drinks", "其他无酒精饮料", "기타 무알코올 음료"),
    (18, "III", "Thực phẩm chức năng, thuốc dược liệu, thuốc cổ truyền",
     "Health supplements and traditional medicines", "保健食品、草药及传统药物", "건강기능식품·생약·전통 약"),
    (19, "III", "Mỹ phẩm có thành phần từ dược liệu", "Herbal cosmetics", "草本化妆品", "약초 화장품"),
    (20, "III", "Tinh dầu và dược liệu khác", "Essential oils and medicinal herbs", "精油及其他药材",
     "에센셜 오일·약재"),
    (21, "IV", "Thủ công mỹ nghệ gia dụng, trang trí", "Household and decorative crafts", "家用及装饰工艺品",
     "생활·장식 공예품"),
    (22, "IV", "Vải, may mặc", "Textiles and clothing", "纺织品与服装", "직물·의류"),
    (23, "V", "Hoa", "Flowers", "花卉", "꽃"),
    (24, "V", "Cây cảnh", "Ornamental plants", "观赏植物", "관상식물"),
    (25, "V", "Động vật cảnh", "Ornamental animals", "观赏动物", "관상동물"),
    (26, "VI", "Du lịch cộng đồng, du lịch sinh thái và điểm du lịch", "Tours, experiences and destinations",
     "旅游体验与景点", "투어·체험·관광지"),
)


# ---- producers ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ProducerRow:
    name: str
    kind: ProducerKind
    ward: str
    street: str
    founded: int
    story: str
    story_en: str
    story_zh: str = ""
    story_ko: str = ""

    @property
    def slug(self) -> str:
        return slugify(self.name)


_C, _H, _CO = ProducerKind.COOPERATIVE, ProducerKind.HOUSEHOLD, ProducerKind.COMPANY

#: Every name is invented. Where §7 names a real business, a fictional one of the same kind and place stands in.
PRODUCERS = (
    ProducerRow(
        "Công ty TNHH Ngọc trai Vịnh Xanh", _CO, "06706", "Khu cảng tàu Tuần Châu", 2008,
        "Từ một bè nuôi nhỏ giữa vịnh, Ngọc trai Vịnh Xanh nay chăm sóc hàng chục nghìn con trai Akoya, Tahiti "
        "và South Sea trong làn nước sạch của vịnh Hạ Long. Mỗi viên ngọc cần hai đến bốn năm để hình thành "
        "và được thợ kim hoàn chọn, gắn bằng tay.",
        "From a single raft in the bay, Vinh Xanh Pearl now tends tens of thousands of Akoya, Tahitian and "
        "South Sea oysters in the clean waters of Ha Long Bay. Each pearl takes two to four years to form and "
        "is chosen and set by hand.",
        "翠湾珍珠从海湾里的一只小养殖筏起步，如今在下龙湾清澈的海水中养护着数万只Akoya、大溪地和南洋珍珠贝。"
        "每一颗珍珠需要两到四年才能形成，并由工匠亲手挑选和镶嵌。",
        "만 한가운데 작은 양식 뗏목에서 시작한 빈싸인 진주는 이제 하롱베이의 맑은 바다에서 수만 개의 아코야, "
        "타히티, 남양 진주조개를 돌봅니다. 진주 한 알이 자라기까지 2~4년이 걸리며, 장인이 손으로 골라 세공합니다.",
    ),
    ProducerRow(
        "Công ty TNHH Kim Hoa Trà Hải Hà", _CO, "06922", "Thôn 8", 2015,
        "Dưới tán rừng Hải Hà, cây trà hoa vàng mọc tự nhiên và chỉ nở hoa vào mùa đông. Kim Hoa Trà thu hái "
        "từng bông vào sáng sớm rồi sấy thăng hoa để giữ trọn sắc vàng và vị ngọt hậu.",
        "Under the forests of Hai Ha, yellow camellias grow wild and flower only in winter. Kim Hoa Tra picks "
        "each blossom in the early morning and freeze-dries it to keep its golden colour and sweet finish.",
        "在海河的森林下，金花茶自然生长，只在冬季开花。金花茶公司在清晨逐朵采摘，并以冻干工艺保留金黄的色泽和回甘。",
        "하이하의 숲 아래에서 황금동백은 자연 그대로 자라 겨울에만 꽃을 피웁니다. 낌호아짜는 이른 아침 한 송이씩 따서 "
        "동결건조해 황금빛과 단 여운을 그대로 지킵니다.",
    ),
    ProducerRow(
        "Công ty TNHH Lâm sản Khe Lạnh", _CO, "06979", "Thôn Khe Lạnh", 2012,
        "Công ty được lập bởi những người con Dao ở Kỳ Thượng, cùng bà con bảo tồn cây trà hoa vàng dưới tán "
        "rừng đầu nguồn. Mỗi mùa hoa, hơn trăm hộ được thu mua hoa tươi với giá ổn định.",
        "Founded by Dao villagers of Ky Thuong, the company works with neighbours to conserve yellow camellias "
        "under the headwater forest. Each flowering season it buys fresh blossoms from more than a hundred "
        "households at a steady price.",
        "公司由奇上的瑶族村民创立，与乡亲们一起在水源林下保护金花茶。每到花季，公司以稳定的价格向一百多户人家收购鲜花。",
        "끼트엉의 자오족 주민들이 세운 회사로, 이웃과 함께 수원림 아래의 황금동백을 보존합니다. 꽃철마다 100여 가구에서 "
        "생화를 안정된 값에 사들입니다.",
    ),
    ProducerRow(
        "HTX Miến dong Khe Mạ", _C, "06856", "Thôn Khe Mạ", 2010,
        "Hợp tác xã gồm hai mươi hộ người Tày, Dao trồng dong riềng trên nương và làm miến theo cách cha ông "
        "truyền lại. Mùa đông, cả thôn Khe Mạ phủ kín những phên miến phơi dưới nắng hanh.",
        "The cooperative brings together twenty Tay and Dao families who grow canna on hill fields and make "
        "noodles the way their parents did. In winter the whole hamlet of Khe Ma is covered with racks of "
        "noodles drying in the crisp sun.",
        "合作社由二十户岱依族和瑶族家庭组成，他们在山地种植竹芋，按祖辈传下的方法制作粉丝。到了冬天，溪麻村到处是晾晒在阳光下的粉丝架。",
        "따이족과 자오족 20가구가 모인 협동조합으로, 산비탈 밭에서 칸나를 기르고 조상에게 물려받은 방식으로 당면을 만듭니다. "
        "겨울이면 케마 마을 전체가 햇볕에 널어 말리는 당면 발로 뒤덮입니다.",
    ),
    ProducerRow(
        "Công ty TNHH Nước tinh khiết Cao Ly", _CO, "06838", "Khu phố Bình Công", 2016,
        "Nhà máy nhỏ dưới chân dãy Cao Ly đóng chai nguồn nước ngầm của vùng núi Bình Liêu. Phần lớn nhân viên "
        "là thanh niên địa phương, được đào tạo vận hành dây chuyền lọc khép kín.",
        "A small plant at the foot of the Cao Ly range bottles the groundwater of the Binh Lieu mountains. "
        "Most of its staff are young local people trained to run the closed filtering line.",
    ),
    ProducerRow(
        "HTX Ong mật Lục Hồn", _C, "06856", "Thôn Nà Áng", 2014,
        "Các thành viên hợp tác xã nuôi ong dưới tán rừng đầu nguồn và giữ rừng để giữ ong. Mật chỉ được quay "
        "khi ong đã vít nắp, mỗi năm hai vụ vào mùa hoa hồi và hoa rừng.",
        "The members keep bees under the headwater forest, and protect the forest to keep the bees. Honey is "
        "spun only from capped combs, twice a year, in the star anise and wild-flower seasons.",
        "合作社成员在水源林下养蜂，护林也是护蜂。只有在蜂巢封盖后才摇蜜，每年在八角花期和山花期各采两次。",
        "조합원들은 수원림 아래에서 벌을 치고, 벌을 지키기 위해 숲을 지킵니다. 벌이 밀랍으로 봉한 뒤에만 꿀을 뜨며, "
        "팔각꽃과 산꽃이 피는 철에 한 해 두 번 채밀합니다.",
    ),
    ProducerRow(
        "HTX Hồi Quế Hoành Mô", _C, "06841", "Thôn Đồng Thanh", 2011,
        "Những đồi hồi trăm tuổi ở Hoành Mô là tài sản của nhiều thế hệ người Tày. Hợp tác xã chưng cất tinh "
        "dầu ngay tại thôn và làm thêm xà phòng thủ công từ hồi, quế.",
        "The century-old star anise groves of Hoanh Mo have belonged to Tay families for generations. The "
        "cooperative distils the oil in the hamlet itself and also makes handmade soap from anise and cinnamon.",
    ),
    ProducerRow(
        "Hộ kinh doanh Chè vối Đồng Văn", _H, "06841", "Thôn Đồng Văn", 2017,
        "Gia đình chị Lường Thị Hoa giữ vườn vối cổ quanh nhà sàn và làm chè vối theo cách của bà ngoại. "
        "Chè được ủ men tự nhiên nên nước thơm và ngọt hơn.",
        "Luong Thi Hoa's family keeps the old water-myrtle trees around their stilt house and makes voi tea the "
        "way her grandmother did. The leaves ferment naturally, so the tea is more fragrant and sweeter.",
    ),
    ProducerRow(
        "HTX Lâm sản ngoài gỗ Nam Sơn", _C, "06970", "Thôn Làng Mới", 2009,
        "Hợp tác xã khai thác bền vững ba kích, nấm lim xanh và cây thuốc dưới tán rừng Ba Chẽ, không chặt phá "
        "cây gỗ. Rượu được ngâm trong chum sành tại xưởng của hợp tác xã.",
        "The cooperative harvests morinda, lim xanh mushrooms and medicinal plants sustainably under the Ba Che "
        "forest, without felling timber. Its liquors are steeped in stoneware jars in the cooperative's workshop.",
        "合作社在巴扯林下可持续地采收巴戟、格木灵芝和药用植物，从不砍伐林木。药酒在合作社作坊的陶缸中浸泡。",
        "협동조합은 바쩨 숲 아래에서 나무를 베지 않고 파극천, 림싼 버섯, 약초를 지속 가능하게 거둡니다. 술은 조합 작업장의 "
        "옹기 항아리에서 담급니다.",
    ),
    ProducerRow(
        "HTX Dược liệu Thanh Sơn", _C, "06970", "Thôn Khe Nà", 2013,
        "Hợp tác xã trồng ba kích tím xen dưới rừng keo và rừng tự nhiên, chỉ thu hoạch khi củ đủ ba năm tuổi. "
        "Mỗi vụ, các thành viên để lại một phần để nhân giống.",
        "The cooperative plants purple morinda under acacia and natural forest and harvests only roots that are "
        "at least three years old. Every season members keep part of the crop for propagation.",
    ),
    ProducerRow(
        "Công ty CP Đồ uống Hòn Gai", _CO, "06658", "Tổ 5, khu 3", 1998,
        "Nhà máy đồ uống lâu năm của Hạ Long, nấu rượu nền từ gạo địa phương và ngâm theo công thức riêng. "
        "Mỗi lô rượu đều được kiểm nghiệm trước khi đóng chai.",
        "A long-standing Ha Long drinks maker that distils its base spirit from local rice and steeps it to its "
        "own recipes. Every batch is laboratory-tested before bottling.",
    ),
    ProducerRow(
        "Công ty CP Nước khoáng Khe Đá", _CO, "06778", "Tổ 2, khu 6", 2001,
        "Công ty khai thác mạch khoáng sâu ở vùng suối nóng Quang Hanh, nơi người dân tắm khoáng chữa bệnh từ "
        "xưa. Dây chuyền đóng chai khép kín nằm ngay cạnh giếng khoan.",
        "The company draws water from a deep mineral spring in the Quang Hanh hot-spring area, where people "
        "have bathed for their health since long ago. Its closed bottling line stands right beside the well.",
    ),
    ProducerRow(
        "HTX Đông trùng hạ thảo Hà Tu", _C, "06652", "Tổ 7, khu 4", 2016,
        "Bốn kỹ sư trẻ lập hợp tác xã để nuôi cấy đông trùng hạ thảo trong phòng sạch giữa lòng thành phố mỏ. "
        "Từ quả thể sấy lạnh, họ làm trà túi lọc và rượu ngâm.",
        "Four young engineers set up the cooperative to grow cordyceps in clean rooms in the heart of the "
        "mining city. From the cold-dried fruiting bodies they make tea bags and steeped liquor.",
    ),
    ProducerRow(
        "Hộ kinh doanh Đông trùng Sơn Dương", _H, "07030", "Thôn Đồng Vang", 2018,
        "Anh Phạm Văn Sơn chuyển từ nghề lái xe sang nuôi cấy đông trùng hạ thảo trong ngôi nhà cấp bốn của gia "
        "đình. Mỗi mẻ chỉ vài cân, được sấy thăng hoa và đóng hộp tại chỗ.",
        "Pham Van Son swapped driving a truck for growing cordyceps in his family's single-storey house. Each "
        "batch is only a few kilos, freeze-dried and boxed on the spot.",
    ),
    ProducerRow(
        "HTX Chăn nuôi Rừng ngập mặn Hải Lạng", _C, "06886", "Thôn Trung Nam", 2015,
        "Hợp tác xã thả vịt trong rừng ngập mặn Đồng Rui, nơi đàn vịt tự kiếm cua, ốc khi triều rút. Các thành "
        "viên cùng nhau trồng lại và giữ rừng đước.",
        "The cooperative lets its ducks roam the Dong Rui mangroves, where they forage for crabs and snails at "
        "low tide. Members also replant and guard the mangrove forest together.",
        "合作社在同瑞红树林中放养鸭子，退潮时鸭群自己觅食螃蟹和螺。社员们还一起补种和守护红树林。",
        "협동조합은 동루이 맹그로브 숲에 오리를 풀어 키우며, 오리들은 썰물 때 게와 고둥을 스스로 찾아 먹습니다. 조합원들은 "
        "함께 맹그로브를 다시 심고 지킵니다.",
    ),
    ProducerRow(
        "HTX Sim rừng Đài Xuyên", _C, "06994", "Thôn Xuyên Hùng", 2019,
        "Mỗi hè, sim chín tím các đồi đảo Đài Xuyên. Hợp tác xã mua sim của bà con và lên men thành rượu vang "
        "nhẹ, giúp quả sim rừng có giá hơn.",
        "Every summer, ripe rose myrtle turns the hills of Dai Xuyen purple. The cooperative buys the berries "
        "from villagers and ferments them into a light wine, giving the wild fruit a better price.",
    ),
    ProducerRow(
        "Công ty TNHH Nấm sạch An Sinh", _CO, "07090", "Khu Đông Sơn", 2014,
        "Trang trại nấm trong nhà lạnh khép kín, tận dụng mùn cưa và lõi ngô từ các xưởng quanh vùng làm giá "
        "thể. Nấm được thu hái và giao ngay trong ngày.",
        "A closed cold-room mushroom farm that turns sawdust and corn cobs from nearby workshops into growing "
        "substrate. Mushrooms are picked and delivered the same day.",
    ),
    ProducerRow(
        "Cơ sở Hải sản Thanh Lân", _H, "07192", "Thôn 1 Thanh Lân", 2012,
        "Gia đình ngư dân trên đảo Thanh Lân câu mực bằng đèn và phơi mực trên giàn tre trước hiên nhà. Mỗi con "
        "mực đều được làm sạch ngay trên thuyền.",
        "A fishing family on Thanh Lan island catches squid by lamplight and dries it on bamboo racks in front "
        "of their house. Every squid is cleaned on the boat.",
    ),
    ProducerRow(
        "Hộ kinh doanh Mực Cô Tô", _H, "07192", "Khu 3", 2010,
        "Chị Vũ Thị Lan thu mua mực của các tàu câu đêm cập cảng Cô Tô mỗi sáng. Mực được phơi đúng một nắng "
        "rồi cấp đông ngay tại xưởng nhỏ của gia đình.",
        "Every morning Vu Thi Lan buys squid from the night boats landing at Co To harbour. The squid is dried "
        "for exactly one day's sun, then frozen straight away in the family's small workshop.",
    ),
    ProducerRow(
        "Công ty TNHH Chăn nuôi Đồng Lâm", _CO, "07060", "Thôn Khe Cát", 2013,
        "Trang trại đồi ở Thống Nhất nuôi lợn hương thả vườn và lợn giống châu Âu theo quy trình an toàn sinh "
        "học. Phân chuồng được ủ làm phân bón cho vườn cây ăn quả.",
        "A hill farm in Thong Nhat raising free-range huong pigs and European breeds under biosecure conditions. "
        "The manure is composted to feed the farm's orchards.",
    ),
    ProducerRow(
        "Công ty TNHH Chè Quảng Sơn", _CO, "06946", "Thôn 4", 2005,
        "Những đồi chè ở Đường Hoa được trồng từ thập niên tám mươi, nay do thế hệ thứ hai chăm sóc. Chè vẫn "
        "được sao trong chảo gang để giữ hương cốm.",
        "The tea hills of Duong Hoa were planted in the 1980s and are now tended by the second generation. The "
        "leaves are still roasted in cast-iron pans to keep their young-rice aroma.",
        "塘花的茶园种植于上世纪八十年代，如今由第二代人打理。茶叶仍在铸铁锅中炒制，以保留嫩米般的清香。",
        "드엉호아의 차밭은 1980년대에 심어져 지금은 2세대가 가꿉니다. 찻잎은 여전히 무쇠솥에서 덖어 햅쌀 같은 향을 지킵니다.",
    ),
    ProducerRow(
        "HTX Trà hữu cơ Quảng Đức", _C, "06931", "Thôn 3", 2018,
        "Mười hai hộ trồng chè ở Quảng Đức cùng chuyển sang canh tác hữu cơ, thay thuốc trừ sâu bằng thiên "
        "địch và phân ủ. Vườn chè nay là nơi đón khách đến hái chè, học sao chè.",
        "Twelve tea-growing families in Quang Duc switched to organic farming together, using natural predators "
        "and compost instead of pesticides. The garden now welcomes visitors to pick and roast tea.",
    ),
    ProducerRow(
        "Công ty TNHH Gốm Mộc Lam", _CO, "07093", "Số 12 đường Trần Nhân Tông", 2003,
        "Xưởng gốm của những nghệ nhân Đông Triều, nơi mỗi chiếc chén được vuốt trên bàn xoay và vẽ tay bằng men "
        "lam. Khách có thể đến xem lò nung và tự tay vẽ chén.",
        "A workshop of Dong Trieu potters where every cup is thrown on the wheel and hand-painted in cobalt "
        "blue. Visitors can see the kilns and paint a cup themselves.",
        "东潮陶艺师的作坊，每只茶杯都在转盘上拉坯并手绘青花。游客可以参观窑炉并亲手绘制茶杯。",
        "동찌에우 도공들의 공방으로, 잔 하나하나를 물레에서 빚고 손으로 청화를 그립니다. 방문객은 가마를 구경하고 직접 잔에 "
        "그림을 그릴 수 있습니다.",
    ),
    ProducerRow(
        "Công ty TNHH Hải sản Bãi Dài", _CO, "06994", "Thôn Bãi Dài", 2011,
        "Công ty chế biến hàu và tôm của bà con nuôi trồng quanh đảo Vân Đồn thành ruốc đóng hũ. Xưởng chế biến "
        "đặt sát bến để hàu được làm ngay khi vừa thu hoạch.",
        "The company turns the oysters and shrimp of farmers around Van Don into jarred floss. Its workshop sits "
        "by the pier so oysters are processed as soon as they are harvested.",
    ),
    ProducerRow(
        "Công ty TNHH Thủy sản Bản Sen", _CO, "06994", "Thôn Nà Na", 2017,
        "Một nhóm bạn trẻ trên đảo Bản Sen làm ruốc hàu theo vị riêng, pha thêm ớt và sả cho hợp khẩu vị khách "
        "du lịch. Mỗi mẻ chỉ làm từ hàu thu hoạch trong ngày.",
        "A group of young friends on Ban Sen island make oyster floss their own way, with chilli and lemongrass "
        "for visitors' tastes. Each batch uses only oysters harvested that day.",
    ),
    ProducerRow(
        "Công ty TNHH Sá sùng Minh Châu", _CO, "06994", "Thôn Tân Hải", 2014,
        "Công ty thu mua sá sùng của bà con đào trên bãi cát Minh Châu, Quan Lạn và chế biến thành món ăn liền. "
        "Công ty cùng ngư dân giữ bãi, không đào vào mùa sá sùng sinh sản.",
        "The company buys sipunculus dug by villagers on the sand flats of Minh Chau and Quan Lan and turns it "
        "into ready-to-eat snacks. With the fishers it protects the flats and stops digging in the breeding season.",
        "公司收购明珠和官澜沙滩上村民挖掘的沙虫，并加工成即食产品。公司与渔民一起保护沙滩，在沙虫繁殖季节停止挖掘。",
        "회사는 민쩌우와 꽌란 모래톱에서 주민들이 캔 사충을 사들여 즉석 식품으로 만듭니다. 어민들과 함께 갯벌을 보호하며 "
        "산란기에는 캐지 않습니다.",
    ),
    ProducerRow(
        "HTX Hải sản Quan Lạn", _C, "06994", "Thôn Tân Lập", 2016,
        "Các gia đình trên đảo Quan Lạn cùng lập hợp tác xã để sơ chế và bán sá sùng khô với giá tốt hơn. Sá "
        "sùng được phơi nắng rồi sấy than hoa theo cách truyền thống.",
        "Families on Quan Lan island formed the cooperative to prepare and sell dried sipunculus at a better "
        "price. The worms are sun-dried and then smoked over charcoal the traditional way.",
    ),
    ProducerRow(
        "HTX Nước mắm truyền thống Đông Xá", _C, "06994", "Thôn Đông Sơn", 2000,
        "Những thùng gỗ ủ chượp của hợp tác xã đã qua ba thế hệ làm mắm ở Vân Đồn. Cá cơm được trộn muối ngay "
        "trên tàu, và nước mắm cốt chỉ được kéo rút tự nhiên.",
        "The cooperative's wooden fermenting vats have served three generations of fish-sauce makers in Van Don. "
        "Anchovies are salted on the boat, and the first press drips out naturally.",
        "合作社的发酵木桶已经陪伴了云屯三代鱼露匠人。凤尾鱼在船上就拌盐，头抽鱼露只靠自然滴滤。",
        "협동조합의 발효 나무통은 번돈에서 3대째 액젓을 담가 왔습니다. 멸치는 배 위에서 바로 소금에 절이고, 1번 액젓은 "
        "자연스럽게 떨어지는 것만 받습니다.",
    ),
    ProducerRow(
        "Công ty TNHH Biển Ngọc Vân Đồn", _CO, "06994", "Khu 7 Cái Rồng", 2019,
        "Công ty trẻ kết hợp hai đặc sản của Vân Đồn: nước mắm cá cơm và sá sùng. Mỗi chai được đánh số lô để "
        "tra cứu ngày ủ và ngày đóng chai.",
        "A young company that brings together two Van Don specialities: anchovy fish sauce and sipunculus. Each "
        "bottle carries a batch number showing when it was fermented and bottled.",
    ),
    ProducerRow(
        "Hộ kinh doanh Chả mực Bà Hạnh", _H, "06685", "Số 27 phố Lê Thánh Tông", 1996,
        "Ba mươi năm nay, bếp nhà bà Hạnh vẫn giã chả mực bằng cối đá mỗi sáng. Con cháu trong nhà nối nghề, "
        "giữ nguyên công thức chỉ có mực, tiêu và nước mắm.",
        "For thirty years Mrs Hanh's kitchen has pounded squid cakes in a stone mortar every morning. Her "
        "children and grandchildren carry on, keeping the recipe of just squid, pepper and fish sauce.",
        "三十年来，幸婆婆家的厨房每天早上都用石臼捶打墨鱼饼。子孙们接过手艺，仍坚持只用鱿鱼、胡椒和鱼露的配方。",
        "30년 동안 한 할머니네 부엌은 매일 아침 돌절구로 오징어 어묵을 찧어 왔습니다. 자손들이 그 솜씨를 이어받아 오징어, "
        "후추, 피시소스만 쓰는 조리법을 지키고 있습니다.",
    ),
    ProducerRow(
        "HTX Gà đồi Đông Ngũ", _C, "06877", "Thôn Đồng Châu", 2012,
        "Ba mươi hộ ở Đông Ngũ cùng nuôi gà Tiên Yên thả đồi theo một quy trình chung, từ con giống đến lò mổ. "
        "Gà được nuôi hơn năm tháng mới xuất bán.",
        "Thirty families in Dong Ngu raise Tien Yen chickens on the hills to one shared method, from chick to "
        "slaughterhouse. The birds are raised for more than five months before sale.",
        "东伍的三十户人家按统一流程放养先安鸡，从鸡苗到屠宰一以贯之。鸡要养五个月以上才出售。",
        "동응우의 30가구가 병아리부터 도축까지 하나의 공통 방식으로 띠엔옌 닭을 언덕에 풀어 키웁니다. 닭은 다섯 달 넘게 "
        "키운 뒤에야 출하합니다.",
    ),
    ProducerRow(
        "HTX Nông nghiệp Nếp cái Đông Triều", _C, "07093", "Khu Nhuệ Hổ", 2011,
        "Hợp tác xã giữ giống nếp cái hoa vàng cổ truyền trên những chân ruộng phù sa ven sông. Mỗi năm chỉ cấy "
        "một vụ để hạt gạo đạt độ dẻo thơm đặc trưng.",
        "The cooperative keeps the heirloom yellow-flower glutinous rice on riverside alluvial fields. It plants "
        "only one crop a year so the grain reaches its typical stickiness and fragrance.",
    ),
    ProducerRow(
        "HTX Rượu nếp Yên Đức", _C, "07114", "Khu Đông Tân", 2013,
        "Làng Yên Đức nấu rượu nếp từ bao đời, với men lá gia truyền của từng nhà. Hợp tác xã gom rượu của các "
        "hộ, kiểm nghiệm và hạ thổ chung trong hầm chum sành.",
        "Yen Duc village has distilled rice liquor for generations, each house with its own leaf yeast. The "
        "cooperative collects the families' liquor, tests it and ages it together in a cellar of stoneware jars.",
    ),
    ProducerRow(
        "Cơ sở Rượu mơ Thượng Yên Công", _H, "06832", "Khu Nam Mẫu", 2009,
        "Gia đình ông Lý Văn Minh người Dao ngâm rượu mơ từ những cây mơ lông trên sườn Yên Tử. Mỗi mùa xuân, "
        "cả nhà lên núi hái mơ khi quả vừa chín vàng.",
        "Ly Van Minh's Dao family steeps apricot liquor from the downy apricot trees on the slopes of Yen Tu. "
        "Every spring the whole family climbs up to pick the fruit as it turns golden.",
    ),
    ProducerRow(
        "Công ty CP Dược liệu Mông Dương", _CO, "06760", "Tổ 3, khu 8", 2010,
        "Công ty trồng hoài sơn, giảo cổ lam trên những đồi từng là bãi thải mỏ, nay đã được phủ xanh. Vùng "
        "trồng được cấp mã số và kiểm tra dư lượng mỗi vụ.",
        "The company grows Chinese yam and jiaogulan on hills that were once mine spoil heaps and are green "
        "again. The growing area has its own code and is tested for residues every season.",
    ),
    ProducerRow(
        "HTX Tinh dầu Phong Dụ", _C, "06862", "Thôn Pắc Cáy", 2015,
        "Hợp tác xã chưng cất tinh dầu tràm trong nồi đồng từ lá tràm trồng trên đất đồi Tiên Yên. Bã lá sau "
        "chưng cất được ủ làm phân bón cho rừng tràm.",
        "The cooperative distils cajeput oil in copper stills from leaves of trees planted on the Tien Yen "
        "hills. The spent leaves are composted to feed the cajeput forest.",
        "合作社用铜锅蒸馏先安山地上种植的白千层叶子提取精油。蒸馏后的叶渣堆肥后再回馈白千层林。",
        "협동조합은 띠엔옌 언덕에 심은 카유풋 잎을 구리 증류기로 증류해 오일을 얻습니다. 증류하고 남은 잎은 퇴비로 만들어 "
        "카유풋 숲에 되돌려 줍니다.",
    ),
    ProducerRow(
        "HTX Quế Quảng Lâm", _C, "06913", "Thôn Làng Đài", 2012,
        "Các hộ Dao ở Quảng Lâm trồng quế hữu cơ trên đồi và chỉ khai thác khi cây đủ mười năm tuổi. Hợp tác xã "
        "cạo vỏ, cắt thanh và phơi quế ngay tại thôn.",
        "Dao families in Quang Lam grow organic cinnamon on the hills and harvest trees only at ten years old. "
        "The cooperative scrapes, cuts and dries the bark in the hamlet.",
        "广林的瑶族家庭在山上种植有机肉桂，树龄满十年才采收。合作社在村里刮皮、切段并晾干肉桂。",
        "꽝럼의 자오족 가정들은 언덕에서 유기농 계피를 기르고 나무가 열 살이 되어야 수확합니다. 협동조합은 마을에서 껍질을 "
        "긁고 자르고 말립니다.",
    ),
    ProducerRow(
        "HTX Dầu sở Húc Động", _C, "06838", "Thôn Sú Cáu", 2016,
        "Cây sở mọc trên những đồi Húc Động từ thời ông bà, nay được hợp tác xã chăm sóc và thu hạt ép dầu. Dầu "
        "ép lạnh được để lắng tự nhiên trong chum.",
        "Tea-oil camellias have grown on the Huc Dong hills since the grandparents' time; the cooperative now "
        "tends them and presses their seeds. The cold-pressed oil settles naturally in jars.",
    ),
    ProducerRow(
        "Hộ kinh doanh Vịt trời Quảng Minh", _H, "06922", "Thôn 5", 2014,
        "Anh Đỗ Văn Hải thuần hóa vịt trời trong đầm nước lợ của gia đình, để đàn vịt tự kiếm ăn như ngoài tự "
        "nhiên. Mỗi năm anh chỉ nuôi vài nghìn con.",
        "Do Van Hai tamed wild ducks in his family's brackish lagoon and lets them forage as they would in the "
        "wild. He raises only a few thousand birds a year.",
    ),
    ProducerRow(
        "Hộ trồng Na Tràng Lương", _H, "07081", "Khu Đồng Tâm", 2008,
        "Vườn na của gia đình ông Nguyễn Văn Lực bám trên sườn đồi đá vôi Tràng Lương. Từng quả na được bao túi "
        "từ khi còn nhỏ để vỏ đẹp, không cần phun thuốc.",
        "Nguyen Van Luc's family orchard clings to the limestone slopes of Trang Luong. Every custard apple is "
        "bagged while small, so the skin stays clean without spraying.",
    ),
    ProducerRow(
        "HTX Chăn nuôi Vĩnh Thực", _C, "06757", "Thôn 3", 2016,
        "Hợp tác xã trên đảo Vĩnh Thực giữ giống lợn Móng Cái lang đen trắng, nuôi bằng cám gạo và rau xanh. "
        "Mỗi con được nuôi gần một năm.",
        "The cooperative on Vinh Thuc island keeps the black-and-white Mong Cai pig breed, fed on rice bran and "
        "greens. Each pig is raised for almost a year.",
    ),
    ProducerRow(
        "HTX Thủy sản Liên Hòa", _C, "07180", "Khu 4", 2010,
        "Các hộ nuôi cua ở Liên Hòa cùng quản lý đầm nước lợ ven sông Bạch Đằng, nuôi quảng canh không dùng "
        "kháng sinh. Cua được tuyển từng con trước khi giao.",
        "Crab farmers in Lien Hoa manage their brackish ponds by the Bach Dang river together, farming "
        "extensively without antibiotics. Every crab is checked by hand before delivery.",
    ),
    ProducerRow(
        "HTX Du lịch sinh thái Quảng La", _C, "07054", "Thôn 5", 2019,
        "Hợp tác xã biến những thửa ruộng bỏ hoang thành thung lũng hoa bốn mùa và thuê lao động tại chỗ. Một "
        "phần tiền vé được dùng để sửa đường vào thôn.",
        "The cooperative turned abandoned fields into a four-season flower valley and employs local people. "
        "Part of every ticket pays for the road into the hamlet.",
    ),
    ProducerRow(
        "HTX Du lịch cộng đồng Khe Vằn", _C, "06838", "Thôn Khe Vằn", 2021,
        "Những gia đình Dao Thanh Phán ở Húc Động mở cửa nhà sàn đón khách và dẫn đường tới thác Khe Vằn. Khách "
        "ăn cơm cùng chủ nhà và học vài mũi thêu truyền thống.",
        "Dao Thanh Phan families in Huc Dong open their stilt houses to guests and guide them to Khe Van "
        "waterfall. Visitors share a meal with their hosts and learn a few traditional embroidery stitches.",
    ),
    ProducerRow(
        "HTX Thêu thổ cẩm Hoành Mô", _C, "06841", "Thôn Cao Sơn", 2018,
        "Ba mươi phụ nữ Dao Thanh Phán cùng thêu thổ cẩm vào lúc nông nhàn, giữ những hoa văn mẹ truyền cho "
        "con. Mỗi sản phẩm ghi tên người thêu.",
        "Thirty Dao Thanh Phan women embroider together between farming seasons, keeping the patterns mothers "
        "pass to daughters. Every piece carries the name of the woman who stitched it.",
    ),
)

#: Mobile prefixes in use (Viettel, Vinaphone, Mobifone); numbers are made up.
_MOBILE_PREFIXES = ("091", "094", "096", "097", "098", "090", "093", "088", "086", "083")
#: Legal-form prefixes dropped from slugs to make e-mail handles.
_FORM_PREFIXES = ("cong-ty-tnhh-", "cong-ty-cp-", "htx-", "ho-kinh-doanh-", "co-so-", "ho-trong-")


def _phone(index: int, landline: bool) -> str:
    """Return a made-up Quảng Ninh landline (0203 3xx xxxx) or a 10-digit mobile number."""
    rng = _rng("phone", index)
    if landline:
        return f"0203 3{rng.randint(10, 99)} {rng.randint(0, 9999):04d}"
    return f"{rng.choice(_MOBILE_PREFIXES)}{rng.randint(0, 9)} {rng.randint(0, 999):03d} {rng.randint(0, 999):03d}"


def _email(slug: str) -> str:
    for prefix in _FORM_PREFIXES:
        if slug.startswith(prefix):
            slug = slug[len(prefix):]
            break
    return slug.replace("-", "") + "@example.vn"


# ---- products -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ProductRow:
    code: str  #: SKU stem: every variant's SKU is QN-<code>-<suffix>
    producer: str  #: the producer's slug
    set_no: int
    ward: str  #: where it is made or grown
    stars: int
    name: str
    summary: str
    description: str
    en: tuple[str, str, str]  #: name, summary, description
    #: (label, SKU suffix, price in VND, weight in grams)
    variants: tuple[tuple[str, str, int, int], ...]
    storage: str = ""
    shelf_life_days: int | None = None
    zh: tuple[str, str] | None = None  #: name, summary
    ko: tuple[str, str] | None = None
    certs: tuple[Certification, ...] = ()
    abv: str | None = None
    cold_chain: bool = False
    ships_abroad: bool = False
    plant: bool = False  #: grown on a registered growing area, so it carries its code
    barcode: bool = True  #: weighed, live and voucher items carry no GTIN
    #: Fixed where the story needs it (a known 5★ decision, the two expired certificates).
    certified_on: dt.date | None = None
    certificate_no: str = ""

    @property
    def slug(self) -> str:
        return slugify(self.name)

    @property
    def is_spirit(self) -> bool:
        return self.abv is not None and Decimal(self.abv) >= Decimal("15")

    @property
    def is_voucher(self) -> bool:
        return self.set_no == 26


_DRY = "Nơi khô ráo, thoáng mát, tránh ánh nắng trực tiếp."
_SEALED = "Nơi khô ráo, thoáng mát; đậy kín sau khi mở."
_DRINK = "Để nơi thoáng mát, tránh ánh nắng trực tiếp; đậy kín sau khi mở."
_CHILLED = "Ngăn mát tủ lạnh 0–4 °C."
_FROZEN = "Ngăn đông −18 °C; rã đông trong ngăn mát trước khi chế biến."
_JEWEL = "Cất trong hộp riêng, nơi khô ráo; tránh nước hoa, mỹ phẩm và hóa chất."

_VIETGAP, _ORGANIC, _GLOBALGAP = Certification.VIETGAP, Certification.ORGANIC, Certification.GLOBALGAP
_HACCP, _ISO22000 = Certification.HACCP, Certification.ISO22000

#: One national decision recognised the three pearls together (the number is invented).
_PEARLS_DECISION = "QĐ 3126/QĐ-BNN-VPĐP"

#: The draft catalog of §7, row by row (and two more for empty product sets), in the order it is listed.
PRODUCTS = (
    ProductRow(
        "NTAK", "cong-ty-tnhh-ngoc-trai-vinh-xanh", 21, "06706", 5,
        "Ngọc trai Akoya Hạ Long",
        "Ngọc trai Akoya nuôi cấy trên vịnh Hạ Long, ánh trắng hồng, gắn trên bạc 925.",
        "Những viên ngọc Akoya tròn, lớp xà cừ ánh trắng hồng, được nuôi cấy hai đến ba năm trong vùng nước sạch "
        "của vịnh Hạ Long. Mỗi viên được thợ kim hoàn tuyển chọn và gắn thủ công trên bạc 925, kèm giấy kiểm định "
        "và hộp quà. Tránh để ngọc tiếp xúc với nước hoa, mỹ phẩm; lau bằng khăn mềm sau khi đeo.",
        ("Ha Long Akoya pearl",
         "Akoya pearls cultured in Ha Long Bay, with a white-pink lustre, set in 925 silver.",
         "Round Akoya pearls with white-pink nacre, cultured for two to three years in the clean waters of Ha "
         "Long Bay. Each pearl is chosen and set by hand in 925 silver and comes with a certificate and a gift "
         "box. Keep pearls away from perfume and cosmetics, and wipe them with a soft cloth after wearing."),
        (("Mặt dây chuyền bạc, ngọc 7 mm", "MD7", 1_500_000, 12),
         ("Bông tai bạc, cặp ngọc 7,5 mm", "BT75", 2_800_000, 10),
         ("Vòng cổ 45 cm, ngọc 7–7,5 mm", "VC45", 15_000_000, 45)),
        storage=_JEWEL, ships_abroad=True,
        zh=("下龙Akoya珍珠", "在下龙湾养殖的Akoya珍珠，白中透粉的光泽，镶嵌于925银。"),
        ko=("하롱 아코야 진주", "하롱베이에서 양식한 아코야 진주로, 흰빛과 분홍빛 광택을 띠며 925 은에 세팅했습니다."),
        certified_on=dt.date(2024, 10, 8), certificate_no=_PEARLS_DECISION,
    ),
    ProductRow(
        "NTTH", "cong-ty-tnhh-ngoc-trai-vinh-xanh", 21, "06706", 5,
        "Ngọc trai Tahiti Hạ Long",
        "Ngọc trai đen Tahiti ánh xanh lục, nuôi cấy và chế tác tại Hạ Long.",
        "Ngọc Tahiti có sắc đen ánh xanh lục hoặc ánh lông công, được cấy và chăm sóc trên bè nuôi ngoài khơi "
        "vịnh Hạ Long. Sau thu hoạch, ngọc được phân loại theo độ tròn, độ bóng và kích thước rồi gắn lên vàng 14K "
        "hoặc bạc 925. Mỗi món kèm giấy kiểm định và hộp quà.",
        ("Ha Long Tahitian pearl",
         "Black Tahitian pearls with a green overtone, cultured and crafted in Ha Long.",
         "Tahitian pearls in black with green or peacock overtones, seeded and tended on rafts off Ha Long Bay. "
         "After harvest they are graded by roundness, lustre and size, then set in 14K gold or 925 silver. Each "
         "piece comes with a certificate and a gift box."),
        (("Mặt dây chuyền vàng 14K, ngọc 9 mm", "MD9", 3_500_000, 8),
         ("Nhẫn bạc, ngọc 10 mm", "NH10", 4_200_000, 6),
         ("Vòng cổ 45 cm, ngọc 9–11 mm", "VC45", 30_000_000, 60)),
        storage=_JEWEL, ships_abroad=True,
        zh=("下龙大溪地黑珍珠", "带绿色伴彩的大溪地黑珍珠，在下龙养殖并加工。"),
        ko=("하롱 타히티 흑진주", "녹색 광채를 띤 타히티 흑진주로, 하롱에서 양식하고 세공했습니다."),
        certified_on=dt.date(2024, 10, 8), certificate_no=_PEARLS_DECISION,
    ),
    ProductRow(
        "NTSS", "cong-ty-tnhh-ngoc-trai-vinh-xanh", 21, "06706", 5,
        "Ngọc trai South Sea Hạ Long",
        "Ngọc trai South Sea hạt lớn, ánh vàng champagne, gắn vàng 18K.",
        "Ngọc South Sea là dòng ngọc hạt lớn, lớp xà cừ dày, ánh vàng champagne hoặc trắng bạc. Trai mẹ được nuôi "
        "nhiều năm trước khi cấy nhân, nên mỗi viên ngọc là thành quả của gần bốn năm chăm sóc. Thích hợp làm quà "
        "cưới hoặc quà tặng đối tác.",
        ("Ha Long South Sea pearl",
         "Large South Sea pearls with a champagne-gold lustre, set in 18K gold.",
         "South Sea pearls are large, with thick nacre in champagne gold or silvery white. The mother oysters are "
         "raised for years before seeding, so each pearl is the fruit of nearly four years of care. A fine "
         "wedding or business gift."),
        (("Mặt dây chuyền vàng 18K, ngọc 10 mm", "MD10", 5_500_000, 8),
         ("Bông tai vàng 18K, cặp ngọc 10 mm", "BT10", 9_800_000, 8),
         ("Vòng cổ 45 cm, ngọc 10–12 mm", "VC45", 30_000_000, 70)),
        storage=_JEWEL, ships_abroad=True,
        zh=("下龙南洋珍珠", "颗粒饱满、呈香槟金光泽的南洋珍珠，镶嵌于18K金。"),
        ko=("하롱 남양 진주", "샴페인 골드 광택의 큰 남양 진주를 18K 금에 세팅했습니다."),
        certified_on=dt.date(2024, 10, 8), certificate_no=_PEARLS_DECISION,
    ),
    ProductRow(
        "THHH", "cong-ty-tnhh-kim-hoa-tra-hai-ha", 12, "06922", 5,
        "Trà hoa vàng Hải Hà sấy thăng hoa",
        "Bông trà hoa vàng nguyên búp sấy thăng hoa, nước trà vàng óng, vị ngọt hậu.",
        "Trà hoa vàng (Camellia chrysantha) mọc dưới tán rừng tự nhiên ở Hải Hà và chỉ nở vào mùa đông. Hoa được "
        "hái vào buổi sáng, làm sạch rồi sấy thăng hoa ở nhiệt độ thấp để giữ nguyên cánh, màu và hương. Hãm 3–4 "
        "bông với 300 ml nước khoảng 90 °C trong 5 phút; có thể pha lại 3–4 lần.",
        ("Hai Ha yellow camellia tea, freeze-dried",
         "Whole yellow camellia flowers, freeze-dried: a golden cup with a sweet finish.",
         "Yellow camellia (Camellia chrysantha) grows under the natural forest canopy of Hai Ha and flowers only "
         "in winter. The blossoms are picked in the morning, cleaned and freeze-dried at low temperature to keep "
         "their petals, colour and scent. Steep 3–4 flowers in 300 ml of water at about 90 °C for 5 minutes; "
         "they can be infused 3–4 times."),
        (("Hộp 50 g", "50G", 650_000, 150), ("Hộp 100 g", "100G", 1_200_000, 250)),
        storage=_SEALED, shelf_life_days=730, certs=(_ORGANIC,), ships_abroad=True, plant=True,
        zh=("海河金花茶（冻干）", "整朵冻干金花茶，茶汤金黄，回味甘甜。"),
        ko=("하이하 황금동백꽃차 (동결건조)", "꽃송이째 동결건조한 황금동백꽃차로, 황금빛 찻물에 단 여운이 남습니다."),
        certified_on=dt.date(2025, 3, 20),
    ),
    ProductRow(
        "THBC", "cong-ty-tnhh-lam-san-khe-lanh", 12, "06979", 5,
        "Trà hoa vàng Ba Chẽ",
        "Trà hoa vàng rừng Ba Chẽ do đồng bào Dao thu hái, sấy lạnh giữ sắc vàng.",
        "Cây trà hoa vàng được bảo tồn và trồng dưới tán rừng ở vùng núi Ba Chẽ, do đồng bào Dao chăm sóc theo "
        "tiêu chuẩn VietGAP. Hoa được sấy lạnh để giữ sắc vàng và hương thơm dịu; nước trà vàng sáng, hơi chát "
        "rồi ngọt hậu. Dùng 3 bông cho một ấm nhỏ, hãm với nước khoảng 90 °C.",
        ("Ba Che yellow camellia tea",
         "Forest yellow camellia from Ba Che, picked by Dao villagers and cold-dried to keep its colour.",
         "Yellow camellia trees are conserved and grown under the forest canopy in the Ba Che hills, tended by "
         "Dao villagers to VietGAP standards. The flowers are cold-dried to keep their golden colour and soft "
         "fragrance; the tea is bright yellow, slightly astringent, then sweet. Use 3 flowers for a small pot, "
         "with water at about 90 °C."),
        (("Hộp 50 g", "50G", 550_000, 150), ("Hộp 100 g", "100G", 1_000_000, 250),
         ("Hộp 20 túi lọc", "TL20", 420_000, 120)),
        storage=_SEALED, shelf_life_days=730, certs=(_VIETGAP,), ships_abroad=True, plant=True,
        zh=("巴扯金花茶", "巴扯山林金花茶，由瑶族村民采摘并低温干燥，保留金黄色泽。"),
        ko=("바쩨 황금동백꽃차", "바쩨 산림의 황금동백꽃을 자오족 주민이 따서 저온 건조해 황금빛을 지켰습니다."),
        # The province's 2024-round 5★ decision, as reported in §1.1.
        certified_on=dt.date(2025, 1, 17), certificate_no="QĐ 377/QĐ-BNN-VPĐP",
    ),
    ProductRow(
        "MDBL", "htx-mien-dong-khe-ma", 7, "06856", 4,
        "Miến dong Bình Liêu",
        "Miến làm từ tinh bột củ dong riềng Bình Liêu, sợi dai, trong, không chất tẩy trắng.",
        "Củ dong riềng được trồng trên nương ở Lục Hồn và thu hoạch vào mùa đông, khi hàm lượng tinh bột cao "
        "nhất. Tinh bột được lọc nhiều lần bằng nước suối, tráng bánh, thái sợi và phơi nắng tự nhiên, không dùng "
        "hàn the hay chất tẩy trắng. Sợi miến màu nâu trong, dai, không nát khi nấu; ngâm nước lạnh 10 phút trước "
        "khi xào hoặc nấu canh.",
        ("Binh Lieu glass noodles",
         "Glass noodles made from Binh Lieu canna starch: chewy, clear, with no bleach.",
         "Canna (dong rieng) is grown on the hill fields of Luc Hon and harvested in winter, when its starch "
         "content is highest. The starch is washed several times in spring water, spread into sheets, cut into "
         "strands and dried in the sun, without borax or bleach. The light-brown noodles stay chewy and whole "
         "when cooked; soak them in cold water for 10 minutes before stir-frying or adding to soup."),
        (("Gói 500 g", "500", 90_000, 520), ("Gói 1 kg", "1KG", 165_000, 1_030)),
        storage=_DRY, shelf_life_days=365, certs=(_VIETGAP, _ISO22000), ships_abroad=True, plant=True,
        zh=("平辽竹芋粉丝", "用平辽竹芋淀粉制成的粉丝，劲道透亮，不含漂白剂。"),
        ko=("빈리에우 칸나 당면", "빈리에우 칸나 전분으로 만든 당면으로, 쫄깃하고 투명하며 표백제를 쓰지 않았습니다."),
    ),
    ProductRow(
        "NTBL", "cong-ty-tnhh-nuoc-tinh-khiet-cao-ly", 16, "06838", 4,
        "Nước uống tinh khiết Bình Liêu",
        "Nước uống đóng chai từ nguồn nước ngầm vùng núi Bình Liêu, lọc RO và tiệt trùng bằng tia UV.",
        "Nguồn nước được khai thác từ tầng nước ngầm dưới chân dãy Cao Ly, qua lọc thô, lọc RO và tiệt trùng bằng "
        "tia cực tím. Vị nước nhẹ, mát, hợp dùng hằng ngày và pha trà. Vì hàng nặng, sản phẩm chủ yếu giao trong "
        "tỉnh hoặc nhận tại điểm bán.",
        ("Binh Lieu purified drinking water",
         "Bottled water from a mountain aquifer in Binh Lieu, RO-filtered and UV-treated.",
         "The water is drawn from an aquifer at the foot of the Cao Ly range, then coarse-filtered, RO-filtered "
         "and sterilised with ultraviolet light. It tastes light and cool, good for every day and for making "
         "tea. Being heavy, it is mostly delivered within the province or collected at a sales point."),
        (("Chai 500 ml", "500ML", 6_000, 530), ("Thùng 24 chai 500 ml", "T24", 120_000, 12_800)),
        storage=_DRINK, shelf_life_days=365,
    ),
    ProductRow(
        "MOBL", "htx-ong-mat-luc-hon", 4, "06856", 4,
        "Mật ong rừng Bình Liêu",
        "Mật ong hoa rừng Bình Liêu, sánh đặc, thơm mùi hoa núi, khai thác theo mùa.",
        "Các đàn ong được nuôi dưới tán rừng đầu nguồn Lục Hồn, hút mật hoa rừng, hoa hồi và hoa chân chim. Mật "
        "chỉ được quay khi ong đã vít nắp, không pha đường, không cô đặc nhân tạo. Mật màu hổ phách, ngọt đậm, "
        "hậu vị hơi đắng nhẹ; mật có thể kết tinh khi trời lạnh, đó là hiện tượng tự nhiên.",
        ("Binh Lieu wild honey",
         "Thick forest-flower honey from Binh Lieu, scented with mountain blossoms, harvested in season.",
         "The hives sit under the headwater forests of Luc Hon, where bees forage on wild flowers, star anise "
         "and schefflera blossoms. The honey is spun only from capped combs, with no added sugar and no "
         "artificial drying. It is amber and richly sweet with a faint bitter finish, and may crystallise in "
         "cold weather, which is natural."),
        (("Chai 500 ml", "500ML", 380_000, 750), ("Chai 1 lít", "1L", 650_000, 1_450)),
        storage="Đậy kín nắp, để nơi thoáng mát; không cần bảo quản lạnh.", shelf_life_days=730,
        zh=("平辽野生蜂蜜", "平辽山林百花蜂蜜，浓稠芳香，按季节采收。"),
        ko=("빈리에우 야생 꿀", "빈리에우 산림의 야생화 꿀로, 진하고 산꽃 향이 나며 제철에만 채밀합니다."),
    ),
    ProductRow(
        "TDHI", "htx-hoi-que-hoanh-mo", 20, "06841", 3,
        "Tinh dầu hồi Bình Liêu",
        "Tinh dầu hoa hồi chưng cất từ quả hồi Bình Liêu, thơm ấm, dùng xông và xoa bóp.",
        "Quả hồi chín được thu hái trên những đồi hồi lâu năm ở Hoành Mô, phơi héo rồi chưng cất bằng hơi nước. "
        "Tinh dầu có mùi thơm ngọt, ấm, giúp thư giãn và xua côn trùng. Nhỏ 3–5 giọt vào máy khuếch tán, hoặc pha "
        "loãng với dầu nền trước khi xoa bóp; không uống, để xa tầm tay trẻ em.",
        ("Binh Lieu star anise essential oil",
         "Steam-distilled from Binh Lieu star anise: warm and sweet, for diffusers and massage.",
         "Ripe star anise is gathered from old groves on the hills of Hoanh Mo, wilted and steam-distilled. The "
         "oil smells sweet and warm, helps you relax and keeps insects away. Put 3–5 drops in a diffuser, or "
         "dilute in a carrier oil before massage; do not swallow, and keep away from children."),
        (("Lọ 10 ml", "10ML", 150_000, 45), ("Lọ 50 ml", "50ML", 380_000, 120)),
        storage=_SEALED, shelf_life_days=1_095, ships_abroad=True, plant=True,
        zh=("平辽八角精油", "以平辽八角蒸馏而成，气味温暖香甜，适用于香薰和按摩。"),
        ko=("빈리에우 팔각 에센셜 오일", "빈리에우 팔각을 증류한 오일로, 따뜻하고 달콤한 향이 나 디퓨저와 마사지에 씁니다."),
    ),
    ProductRow(
        "CVDV", "ho-kinh-doanh-che-voi-dong-van", 12, "06841", 3,
        "Chè vối Bình Liêu",
        "Lá và nụ vối ủ men, phơi khô; nước chè màu hổ phách, thơm dịu, dễ uống.",
        "Cây vối được trồng quanh các bản người Tày ở Hoành Mô, hái lá bánh tẻ và nụ vào đầu hè. Lá được rửa "
        "sạch, ủ cho lên men nhẹ rồi phơi khô, giúp nước chè thơm và ngọt hơn. Nấu 20 g chè với 1,5 lít nước sôi "
        "trong 10 phút, dùng nóng hoặc để nguội.",
        ("Binh Lieu voi leaf tea",
         "Fermented, sun-dried water-myrtle leaves and buds: an amber, gently fragrant brew.",
         "Voi (water myrtle) trees grow around the Tay villages of Hoanh Mo; mature leaves and buds are picked "
         "in early summer. The leaves are washed, lightly fermented and sun-dried, which makes the tea more "
         "fragrant and sweeter. Simmer 20 g in 1.5 litres of boiling water for 10 minutes and drink hot or cool."),
        (("Gói 200 g", "200G", 65_000, 210), ("Gói 500 g", "500G", 120_000, 510)),
        storage=_DRY, shelf_life_days=540, certs=(_VIETGAP,), ships_abroad=True, plant=True,
        # One of the two demo certificates left to lapse, so the shop shows an expired one.
        certified_on=dt.date(2022, 6, 20),
    ),
    ProductRow(
        "RBKB", "htx-lam-san-ngoai-go-nam-son", 15, "06970", 4,
        "Rượu ba kích Ba Chẽ",
        "Rượu ngâm củ ba kích tím Ba Chẽ, màu tím hồng, vị ngọt nhẹ, 35 % vol.",
        "Củ ba kích tím trồng dưới tán rừng Ba Chẽ từ ba năm trở lên được rút lõi, ngâm cùng rượu gạo nấu thủ "
        "công trong chum sành ít nhất sáu tháng. Rượu có màu tím hồng tự nhiên, mùi thơm đặc trưng và vị ngọt "
        "hậu. Theo Nghị định 105/2017, rượu từ 15 độ trở lên chỉ bán tại điểm bán OCOP, không bán trực tuyến. "
        "Không dùng cho người dưới 18 tuổi và phụ nữ có thai.",
        ("Ba Che morinda root liquor",
         "Rice liquor steeped with Ba Che purple morinda root: pinkish purple, mildly sweet, 35 % vol.",
         "Purple morinda roots grown under the Ba Che forest for at least three years are cored and steeped in "
         "hand-distilled rice liquor in stoneware jars for at least six months. The liquor turns a natural "
         "pinkish purple, with a distinctive aroma and a sweet finish. Under Decree 105/2017, liquor of 15 % or "
         "more is sold only at OCOP sales points, not online. Not for anyone under 18 or pregnant women."),
        (("Chai 500 ml", "500ML", 280_000, 950), ("Bình 2 lít", "2L", 600_000, 3_200)),
        storage=_DRINK, abv="35.0",
        zh=("巴扯巴戟酒", "以巴扯紫巴戟浸泡的米酒，酒色紫红，微甜，酒精度35%。"),
        ko=("바쩨 파극천주", "바쩨산 자색 파극천 뿌리를 담근 쌀술로, 보랏빛을 띠고 은은하게 달며 35도입니다."),
    ),
    ProductRow(
        "RNLX", "htx-lam-san-ngoai-go-nam-son", 15, "06970", 4,
        "Rượu nấm lim xanh Ba Chẽ",
        "Rượu ngâm nấm lim xanh rừng Ba Chẽ, màu hổ phách, vị đắng nhẹ, 30 % vol.",
        "Nấm lim xanh mọc trên thân cây lim mục trong rừng tự nhiên Ba Chẽ, được thu hái, làm sạch, sấy khô rồi "
        "ngâm với rượu nếp ít nhất ba tháng. Rượu có màu hổ phách, vị đắng nhẹ, hậu ngọt. Chỉ bán tại điểm bán "
        "OCOP, không bán trực tuyến; không dùng cho người dưới 18 tuổi.",
        ("Ba Che lim xanh mushroom liquor",
         "Rice liquor steeped with wild lim xanh mushroom from Ba Che: amber, lightly bitter, 30 % vol.",
         "Lim xanh mushrooms (a Ganoderma) grow on fallen ironwood trunks in the natural forests of Ba Che; they "
         "are gathered, cleaned, dried and steeped in glutinous-rice liquor for at least three months. The "
         "liquor is amber and lightly bitter with a sweet finish. Sold only at OCOP sales points, not online; "
         "not for anyone under 18."),
        (("Chai 500 ml", "500ML", 320_000, 950), ("Hộp quà 2 chai 500 ml", "HQ2", 680_000, 2_100)),
        storage=_DRINK, abv="30.0",
        zh=("巴扯格木灵芝酒", "以巴扯野生格木灵芝浸泡的米酒，琥珀色，微苦，酒精度30%。"),
        ko=("바쩨 림싼 버섯주", "바쩨 숲의 야생 림싼 영지버섯을 담근 쌀술로, 호박색에 살짝 쓰며 30도입니다."),
    ),
    ProductRow(
        "BKTB", "htx-duoc-lieu-thanh-son", 20, "06970", 3,
        "Ba kích tím Ba Chẽ khô",
        "Củ ba kích tím trồng dưới tán rừng Ba Chẽ, đã rút lõi, phơi khô.",
        "Ba kích tím (Morinda officinalis) được trồng xen dưới tán rừng Ba Chẽ và chỉ thu hoạch sau ba đến năm "
        "năm. Củ được rửa sạch, đồ chín, rút lõi rồi phơi hoặc sấy khô ở nhiệt độ thấp. Dùng ngâm rượu, hầm với "
        "thịt hoặc sắc nước uống theo hướng dẫn của thầy thuốc.",
        ("Ba Che purple morinda root, dried",
         "Purple morinda root grown under the Ba Che forest, cored and dried.",
         "Purple morinda (Morinda officinalis) is planted under the forest canopy of Ba Che and harvested only "
         "after three to five years. The roots are washed, steamed, cored and dried in the sun or at low heat. "
         "Steep it in liquor, braise it with meat, or drink it as a decoction as a practitioner advises."),
        (("Gói 500 g", "500G", 180_000, 520), ("Gói 1 kg", "1KG", 340_000, 1_030)),
        storage=_DRY, shelf_life_days=730, certs=(_VIETGAP,), ships_abroad=True, plant=True,
        zh=("巴扯紫巴戟（干）", "在巴扯林下种植的紫巴戟，已去芯晒干。"),
        ko=("바쩨 자색 파극천 (건조)", "바쩨 숲 아래에서 기른 자색 파극천 뿌리로, 심을 빼고 말렸습니다."),
    ),
    ProductRow(
        "RBKQ", "cong-ty-cp-do-uong-hon-gai", 15, "06658", 4,
        "Rượu ba kích đặc sản Quảng Ninh",
        "Rượu ba kích đóng chai trên dây chuyền khép kín, vị êm, 29,5 % vol.",
        "Rượu nền được chưng cất từ gạo địa phương, hạ thổ rồi ngâm với ba kích tím sấy khô theo công thức riêng "
        "của nhà máy. Rượu được lọc trong, đóng chai trên dây chuyền khép kín, độ rượu ổn định và vị êm. Chỉ bán "
        "tại điểm bán OCOP; không dùng cho người dưới 18 tuổi, đã uống rượu bia thì không lái xe.",
        ("Quang Ninh morinda liquor",
         "Morinda liquor bottled on a closed line, smooth, 29.5 % vol.",
         "A base spirit distilled from local rice is aged underground, then steeped with dried purple morinda to "
         "the distillery's own recipe. It is filtered clear and bottled on a closed line, for a steady strength "
         "and a smooth taste. Sold only at OCOP sales points; not for anyone under 18, and never drink and drive."),
        (("Chai 500 ml", "500ML", 220_000, 900), ("Chai 750 ml", "750ML", 320_000, 1_300)),
        storage=_DRINK, abv="29.5",
    ),
    ProductRow(
        "NKQH", "cong-ty-cp-nuoc-khoang-khe-da", 16, "06778", 4,
        "Nước khoáng thiên nhiên Quang Hanh có ga",
        "Nước khoáng thiên nhiên từ mạch khoáng nóng Quang Hanh, bổ sung ga, vị mặn nhẹ.",
        "Nước được khai thác từ mạch khoáng sâu ở Quang Hanh, vùng suối khoáng nóng nổi tiếng của Cẩm Phả. Nước "
        "giàu bicarbonat và khoáng chất, có vị mặn nhẹ đặc trưng, được bổ sung CO₂ cho sảng khoái. Ngon nhất khi "
        "uống lạnh.",
        ("Quang Hanh sparkling natural mineral water",
         "Natural mineral water from the Quang Hanh hot springs, carbonated, lightly saline.",
         "The water comes from a deep mineral spring at Quang Hanh, the well-known hot-spring area of Cam Pha. "
         "It is rich in bicarbonate and minerals, with a typical light saltiness, and carbonated for a "
         "refreshing drink. Best served cold."),
        (("Chai 500 ml", "500ML", 10_000, 540), ("Lon 330 ml", "L330", 12_000, 360),
         ("Thùng 24 chai 500 ml", "T24", 220_000, 13_000)),
        storage=_DRINK, shelf_life_days=540, certs=(_ISO22000,),
        zh=("Quang Hanh 天然含气矿泉水", "来自Quang Hanh温泉矿脉的天然矿泉水，充气，略带咸味。"),
        ko=("꽝하인 천연 탄산 광천수", "꽝하인 온천 광맥의 천연 광천수로, 탄산을 더했고 살짝 짭짤합니다."),
    ),
    ProductRow(
        "NKQK", "cong-ty-cp-nuoc-khoang-khe-da", 16, "06778", 4,
        "Nước khoáng thiên nhiên Quang Hanh không ga",
        "Nước khoáng thiên nhiên Quang Hanh không ga, hàm lượng khoáng vừa phải, dùng hằng ngày.",
        "Cùng nguồn khoáng Quang Hanh nhưng không bổ sung ga, hàm lượng khoáng được cân chỉnh vừa phải để uống "
        "hằng ngày. Vị nước mềm, hơi mặn nhẹ. Hợp mang theo khi đi biển, leo núi hay lên du thuyền.",
        ("Quang Hanh still natural mineral water",
         "Still natural mineral water from Quang Hanh, moderately mineralised, for every day.",
         "From the same Quang Hanh spring but without added gas, with its minerals balanced for everyday "
         "drinking. It tastes soft and faintly saline. Good to take to the beach, on a hike or on a cruise."),
        (("Chai 350 ml", "350ML", 6_000, 380), ("Chai 500 ml", "500ML", 8_000, 540),
         ("Thùng 24 chai 500 ml", "T24", 170_000, 13_000)),
        storage=_DRINK, shelf_life_days=540, certs=(_ISO22000,),
    ),
    ProductRow(
        "NKCM", "cong-ty-cp-nuoc-khoang-khe-da", 17, "06778", 4,
        "Nước khoáng Quang Hanh vị chanh muối",
        "Nước khoáng có ga pha chanh muối, giải khát và bù khoáng sau ngày nắng.",
        "Nước khoáng Quang Hanh được pha với nước cốt chanh và muối theo kiểu chanh muối truyền thống, thêm ga "
        "nhẹ. Vị chua, mặn, ngọt hài hòa, giúp giải khát và bù khoáng sau khi vận động. Uống lạnh ngon hơn.",
        ("Quang Hanh mineral water with salted lemon",
         "Sparkling mineral water with salted lemon, to quench thirst after a hot day.",
         "Quang Hanh mineral water blended with lemon juice and salt in the style of traditional salted "
         "lemonade, lightly carbonated. Sour, salty and sweet in balance, it quenches thirst and replaces "
         "minerals after exercise. Best served cold."),
        (("Chai 330 ml", "330ML", 10_000, 370), ("Thùng 24 chai 330 ml", "T24", 220_000, 9_200)),
        storage=_DRINK, shelf_life_days=365,
    ),
    ProductRow(
        "RDTH", "htx-dong-trung-ha-thao-ha-tu", 15, "06652", 4,
        "Rượu đông trùng hạ thảo Hạ Long",
        "Rượu nếp ngâm quả thể đông trùng hạ thảo nuôi cấy, màu vàng cam, 35 % vol.",
        "Quả thể đông trùng hạ thảo (Cordyceps militaris) được nuôi cấy trong phòng sạch tại Hà Tu, sấy lạnh rồi "
        "ngâm với rượu nếp đã lọc bớt aldehyd. Sau ba tháng, rượu chuyển màu vàng cam, thơm nhẹ, vị êm. Chỉ bán "
        "tại điểm bán OCOP, không bán trực tuyến; không dùng cho người dưới 18 tuổi.",
        ("Ha Long cordyceps liquor",
         "Glutinous-rice liquor steeped with cultivated cordyceps: orange-gold, 35 % vol.",
         "Cordyceps militaris fruiting bodies are grown in a clean room in Ha Tu, cold-dried and steeped in "
         "glutinous-rice liquor filtered of aldehydes. After three months the liquor turns orange-gold, lightly "
         "fragrant and smooth. Sold only at OCOP sales points, not online; not for anyone under 18."),
        (("Chai 500 ml", "500ML", 450_000, 1_000), ("Bình thủy tinh 1,5 lít", "1500ML", 1_200_000, 2_600)),
        storage=_DRINK, abv="35.0",
        zh=("下龙虫草酒", "以人工培育蛹虫草浸泡的糯米酒，橙金色，酒精度35%。"),
        ko=("하롱 동충하초주", "재배한 동충하초를 담근 찹쌀술로, 주황빛 금색이며 35도입니다."),
    ),
    ProductRow(
        "TDTH", "htx-dong-trung-ha-thao-ha-tu", 18, "06652", 3,
        "Trà đông trùng hạ thảo Hạ Long",
        "Trà túi lọc từ đông trùng hạ thảo sấy lạnh phối trà xanh, tiện pha mỗi sáng.",
        "Đông trùng hạ thảo sấy lạnh được nghiền và phối với trà xanh, cỏ ngọt theo tỷ lệ cân bằng. Mỗi túi lọc "
        "pha với 150–200 ml nước sôi trong 5 phút cho nước màu vàng nhạt, thơm nhẹ. Sản phẩm là thực phẩm bảo vệ "
        "sức khỏe, không phải là thuốc và không có tác dụng thay thế thuốc chữa bệnh.",
        ("Ha Long cordyceps tea",
         "Tea bags of cold-dried cordyceps blended with green tea, easy to brew each morning.",
         "Cold-dried cordyceps is ground and blended with green tea and stevia in a balanced ratio. Each bag "
         "brews in 150–200 ml of boiling water in 5 minutes to a pale-yellow, lightly fragrant cup. This is a "
         "health-supplement food, not a medicine, and does not replace medical treatment."),
        (("Hộp 20 túi lọc", "TL20", 220_000, 120), ("Hộp 50 túi lọc", "TL50", 480_000, 260)),
        storage=_SEALED, shelf_life_days=540,
    ),
    ProductRow(
        "DTSK", "ho-kinh-doanh-dong-trung-son-duong", 18, "07030", 4,
        "Đông trùng hạ thảo sấy khô Hoành Bồ",
        "Quả thể đông trùng hạ thảo nuôi cấy, sấy thăng hoa, sợi vàng cam nguyên vẹn.",
        "Đông trùng hạ thảo được nuôi cấy trên môi trường gạo lứt và nhộng tằm trong phòng kiểm soát nhiệt độ, ánh "
        "sáng. Sau khoảng 60 ngày, quả thể được thu hái và sấy thăng hoa để giữ màu và dược chất. Dùng 1–2 g mỗi "
        "ngày để hãm trà, nấu cháo hoặc hầm gà.",
        ("Hoanh Bo dried cordyceps",
         "Cultivated cordyceps, freeze-dried, in whole orange strands.",
         "Cordyceps is cultivated on brown rice and silkworm pupae in rooms with controlled temperature and "
         "light. After about 60 days the fruiting bodies are picked and freeze-dried to keep their colour and "
         "active compounds. Use 1–2 g a day in tea, rice porridge or braised chicken."),
        (("Hộp 10 g", "10G", 550_000, 80), ("Hộp 20 g", "20G", 1_000_000, 120)),
        storage="Nơi khô ráo, đậy kín, tránh ẩm; có thể để ngăn mát tủ lạnh.", shelf_life_days=365,
        zh=("横蒲冻干虫草", "人工培育蛹虫草，冻干处理，橙色草体完整。"),
        ko=("호안보 건조 동충하초", "재배한 동충하초를 동결건조해 주황빛 줄기가 온전합니다."),
    ),
    ProductRow(
        "TVBD", "htx-chan-nuoi-rung-ngap-man-hai-lang", 2, "06886", 4,
        "Trứng vịt biển Đồng Rui",
        "Trứng của đàn vịt chạy đồng trong rừng ngập mặn Đồng Rui, lòng đỏ đậm, vị béo.",
        "Đàn vịt được thả tự nhiên trong rừng ngập mặn Đồng Rui, ăn cua, ốc, cá nhỏ nên trứng có lòng đỏ to, màu "
        "cam đậm và vị béo thơm. Trứng được nhặt hằng ngày, làm sạch, soi đèn và đóng hộp chống sốc. Giao lạnh "
        "trong tỉnh hoặc nhận tại điểm bán.",
        ("Dong Rui mangrove duck eggs",
         "Eggs from free-ranging ducks in the Dong Rui mangroves: deep-orange yolks, rich taste.",
         "The ducks range freely in the Dong Rui mangrove forest, feeding on crabs, snails and small fish, which "
         "gives their eggs large, deep-orange yolks and a rich flavour. Eggs are collected daily, cleaned, "
         "candled and packed in shock-proof boxes. Chilled delivery within the province, or collect at a sales "
         "point."),
        (("Hộp 10 quả", "H10", 55_000, 800), ("Khay 30 quả", "K30", 150_000, 2_300)),
        storage="Ngăn mát 4–8 °C; hàng dễ vỡ, nhẹ tay.", shelf_life_days=21, cold_chain=True,
        zh=("同瑞海鸭蛋", "同瑞红树林散养海鸭所产的鸭蛋，蛋黄橙红，口感香浓。"),
        ko=("동루이 바다오리알", "동루이 맹그로브 숲에서 방목한 오리의 알로, 노른자가 진한 주황빛이고 고소합니다."),
    ),
    ProductRow(
        "RSRV", "htx-sim-rung-dai-xuyen", 15, "06994", 4,
        "Rượu sim rừng Vân Đồn",
        "Rượu vang lên men từ quả sim rừng trên đảo Vân Đồn, màu đỏ tím, 13,5 % vol.",
        "Quả sim chín được hái trên các đồi sim ở Đài Xuyên vào tháng 7–8, lên men tự nhiên trong chum sứ rồi lắng "
        "lọc nhiều lần. Rượu có màu đỏ tím, vị chua ngọt, chát nhẹ, hợp dùng lạnh với hải sản nướng. Độ cồn dưới "
        "15 % nên được bán trực tuyến, chỉ giao cho người từ 18 tuổi trở lên.",
        ("Van Don wild rose-myrtle wine",
         "Wine fermented from wild rose-myrtle berries on Van Don island: purple-red, 13.5 % vol.",
         "Ripe rose-myrtle (sim) berries are picked on the hills of Dai Xuyen in July and August, fermented "
         "naturally in ceramic jars and racked several times. The wine is purple-red, sweet-sour with light "
         "tannins, and good chilled with grilled seafood. Below 15 % it may be sold online, and is delivered "
         "only to people aged 18 or over."),
        (("Chai 500 ml", "500ML", 180_000, 950), ("Chai 750 ml", "750ML", 260_000, 1_300)),
        storage=_DRINK, shelf_life_days=1_095, abv="13.5",
        zh=("云屯野生桃金娘果酒", "以云屯岛野生桃金娘果发酵的果酒，紫红色，酒精度13.5%。"),
        ko=("번돈 야생 도금양 와인", "번돈 섬의 야생 도금양 열매로 빚은 과실주로, 자홍색이며 13.5도입니다."),
    ),
    ProductRow(
        "NKCA", "cong-ty-tnhh-nam-sach-an-sinh", 1, "07090", 4,
        "Nấm kim châm Đông Triều",
        "Nấm kim châm trắng, sợi đều, trồng trong nhà lạnh khép kín tại Đông Triều.",
        "Nấm được trồng trên giá thể mùn cưa và lõi ngô trong nhà lạnh khép kín, kiểm soát nhiệt độ và độ ẩm từng "
        "phòng. Sợi nấm trắng, giòn, mũ nhỏ đều, thu hái và đóng gói ngay trong ngày. Cắt bỏ phần gốc, rửa nhanh "
        "rồi nhúng lẩu, xào hoặc cuộn thịt bò nướng.",
        ("Dong Trieu enoki mushrooms",
         "White enoki with even stems, grown in closed cold rooms in Dong Trieu.",
         "The mushrooms grow on sawdust and corn-cob substrate in closed cold rooms, each with its own "
         "temperature and humidity control. The stems are white and crisp with small, even caps, picked and "
         "packed the same day. Trim the base, rinse quickly and add to hotpot, stir-fry or roll in grilled beef."),
        (("Gói 150 g", "150G", 16_000, 160), ("Gói 200 g", "200G", 22_000, 210)),
        storage="Ngăn mát 2–5 °C, để nguyên túi.", shelf_life_days=10, certs=(_VIETGAP,), cold_chain=True,
    ),
    ProductRow(
        "NDGA", "cong-ty-tnhh-nam-sach-an-sinh", 1, "07090", 4,
        "Nấm đùi gà Đông Triều",
        "Nấm đùi gà thân to, thịt chắc và ngọt, trồng sạch tại Đông Triều.",
        "Nấm đùi gà (Pleurotus eryngii) có thân trắng to, thịt dày và giòn, vị ngọt như thịt gà. Nấm được trồng "
        "trên giá thể tiệt trùng, không dùng thuốc bảo vệ thực vật, thu hái khi mũ vừa xòe. Thái lát nướng bơ "
        "tỏi, xào hoặc nấu lẩu đều ngon.",
        ("Dong Trieu king oyster mushrooms",
         "King oyster mushrooms with thick, firm, sweet stems, clean-grown in Dong Trieu.",
         "King oyster mushrooms (Pleurotus eryngii) have thick white stems with dense, crisp flesh and a sweet, "
         "almost chicken-like taste. They grow on sterilised substrate without pesticides and are picked as the "
         "caps open. Slice and grill with garlic butter, stir-fry or add to hotpot."),
        (("Gói 200 g", "200G", 30_000, 210), ("Gói 300 g", "300G", 45_000, 310)),
        storage="Ngăn mát 2–5 °C, để nguyên túi.", shelf_life_days=10, certs=(_VIETGAP,), cold_chain=True,
    ),
    ProductRow(
        "MOCT", "co-so-hai-san-thanh-lan", 8, "07192", 4,
        "Mực ống Cô Tô khô",
        "Mực ống câu đêm ở biển Cô Tô, phơi nắng tự nhiên, thân dày, ngọt đậm.",
        "Mực ống được ngư dân Cô Tô câu bằng đèn vào ban đêm, làm sạch ngay trên thuyền và phơi dưới nắng gió biển "
        "ba đến bốn ngày. Con mực khô có màu hồng nhạt, thân dày, thơm và ngọt đậm. Nướng trên than hoa rồi xé "
        "nhỏ, chấm tương ớt, hoặc xào với cần tỏi.",
        ("Co To dried squid",
         "Night-jigged squid from the Co To sea, sun-dried, thick-bodied and deeply sweet.",
         "Co To fishermen catch the squid at night under lamps, clean them on board and dry them in the sun and "
         "sea wind for three to four days. The dried squid is pale pink, thick and fragrant with a deep "
         "sweetness. Grill over charcoal and tear into strips to dip in chilli sauce, or stir-fry with garlic "
         "shoots."),
        (("Túi 250 g", "250G", 480_000, 270), ("Túi 500 g", "500G", 950_000, 520),
         ("Túi 1 kg", "1KG", 1_850_000, 1_030)),
        storage="Nơi khô, mát hoặc ngăn mát tủ lạnh; buộc kín túi sau khi mở.", shelf_life_days=180,
        zh=("姑苏鱿鱼干", "姑苏海域夜钓的鱿鱼，自然晾晒，肉厚味甜。"),
        ko=("꼬또 마른 오징어", "꼬또 바다에서 밤에 낚은 오징어를 햇볕에 말려 살이 두껍고 단맛이 진합니다."),
    ),
    ProductRow(
        "MMNC", "ho-kinh-doanh-muc-co-to", 8, "07192", 3,
        "Mực một nắng Cô Tô",
        "Mực ống phơi đúng một nắng, thịt mềm, giữ vị ngọt tươi, cấp đông ngay.",
        "Mực tươi được mổ, làm sạch và phơi dưới một nắng, đủ để se mặt mà bên trong vẫn mềm mọng. Sau khi phơi, "
        "mực được hút chân không và cấp đông ngay để giữ vị ngọt tươi. Nướng than, chiên giòn hoặc hấp gừng; giao "
        "lạnh trong tỉnh.",
        ("Co To one-sun squid",
         "Squid dried for a single day's sun: tender, still fresh and sweet, frozen straight away.",
         "Fresh squid is split, cleaned and dried under a single day's sun, just enough to firm the surface while "
         "the inside stays tender. It is then vacuum-packed and frozen at once to keep its fresh sweetness. Grill "
         "over charcoal, fry or steam with ginger; chilled delivery within the province."),
        (("Khay 500 g", "500G", 340_000, 550), ("Khay 1 kg", "1KG", 680_000, 1_080)),
        storage=_FROZEN, shelf_life_days=90, cold_chain=True,
        zh=("姑苏一日晒鱿鱼", "只晒一个日头的鱿鱼，肉质柔嫩，保留鲜甜，随即急冻。"),
        ko=("꼬또 반건조 오징어", "햇볕에 하루만 말려 살이 부드럽고 신선한 단맛이 살아 있으며 바로 급속 냉동했습니다."),
    ),
    ProductRow(
        "TLHG", "cong-ty-tnhh-chan-nuoi-dong-lam", 2, "07060", 4,
        "Thịt lợn hương",
        "Thịt lợn hương nuôi thả vườn đồi, thịt thơm, bì giòn, mỡ mỏng.",
        "Giống lợn hương nhỏ con được nuôi thả trên vườn đồi hơn tám tháng, ăn cám ngô, rau rừng và thân chuối. "
        "Thịt màu hồng đỏ, thớ săn, mỡ mỏng và thơm đặc trưng. Lợn được giết mổ tại cơ sở đạt chuẩn, đóng khay và "
        "giao lạnh trong tỉnh.",
        ("Huong pork",
         "Pork from hill-raised huong pigs: fragrant meat, crisp skin, thin fat.",
         "The small huong pig breed is raised free-range on hill farms for more than eight months, fed on maize "
         "bran, wild greens and banana stems. The meat is rosy red and firm-grained, with thin fat and a "
         "distinctive aroma. Slaughtered at an approved facility, tray-packed and delivered chilled within the "
         "province."),
        (("Ba chỉ, khay 500 g", "BC500", 110_000, 520), ("Nạc vai, khay 1 kg", "NV1KG", 220_000, 1_030)),
        storage=_CHILLED + " Dùng trong 3 ngày; ngăn đông −18 °C được 3 tháng.", shelf_life_days=3,
        cold_chain=True, barcode=False,
    ),
    ProductRow(
        "TLNA", "cong-ty-tnhh-chan-nuoi-dong-lam", 2, "07060", 4,
        "Thịt lợn hướng nạc nguồn gốc châu Âu",
        "Thịt lợn giống hướng nạc nguồn gốc châu Âu, nuôi theo quy trình an toàn sinh học.",
        "Đàn lợn giống châu Âu được nuôi trong chuồng kín có làm mát, ăn thức ăn phối trộn không chất tăng trọng "
        "và được thú y theo dõi chặt chẽ. Thịt nhiều nạc, mềm, hợp bữa cơm gia đình hằng ngày. Mỗi khay có mã "
        "truy xuất để tra cứu lô nuôi và ngày giết mổ.",
        ("Lean pork from European breeds",
         "Pork from lean European breeds, raised under biosecure conditions.",
         "European-breed pigs are raised in closed, cooled barns on compound feed without growth promoters, "
         "under close veterinary supervision. The meat is lean and tender, right for everyday family meals. "
         "Each tray carries a traceability code showing the batch and the slaughter date."),
        (("Thăn, khay 500 g", "TH500", 80_000, 520), ("Sườn non, khay 1 kg", "SN1KG", 175_000, 1_030)),
        storage=_CHILLED + " Dùng trong 3 ngày; ngăn đông −18 °C được 3 tháng.", shelf_life_days=3,
        cold_chain=True, barcode=False,
    ),
    ProductRow(
        "CDHO", "cong-ty-tnhh-che-quang-son", 11, "06946", 4,
        "Chè Đường Hoa",
        "Chè xanh búp sao chảo gang vùng Đường Hoa, cánh xoăn, nước xanh, hậu ngọt.",
        "Chè được trồng trên các sườn đồi Đường Hoa, hái một tôm hai lá vào sáng sớm và sao trong chảo gang theo "
        "cách truyền thống. Cánh chè xoăn đều, màu xanh đen; nước chè xanh vàng, vị chát dịu và ngọt hậu kéo dài. "
        "Tráng ấm, dùng 5 g chè với 150 ml nước khoảng 85 °C, hãm 2 phút.",
        ("Duong Hoa green tea",
         "Pan-roasted green tea buds from Duong Hoa: curled leaves, a green cup, a sweet finish.",
         "The tea grows on the hillsides of Duong Hoa; one bud and two leaves are picked early in the morning and "
         "roasted in cast-iron pans the traditional way. The leaves are evenly curled and dark green; the tea is "
         "green-yellow, gently astringent with a long sweet finish. Warm the pot and steep 5 g in 150 ml of "
         "water at about 85 °C for 2 minutes."),
        (("Gói 200 g", "200G", 160_000, 210), ("Hộp 500 g", "500G", 380_000, 560)),
        storage=_SEALED, shelf_life_days=540, certs=(_VIETGAP,), ships_abroad=True, plant=True,
        zh=("塘花绿茶", "塘花铁锅炒制的绿茶，条索卷曲，汤色青绿，回甘。"),
        ko=("드엉호아 녹차", "드엉호아에서 무쇠솥에 덖은 녹차로, 잎이 고르게 말려 있고 찻물이 푸르며 단 여운이 남습니다."),
    ),
    ProductRow(
        "TXHC", "htx-tra-huu-co-quang-duc", 11, "06931", 4,
        "Trà xanh hữu cơ Quảng Đức",
        "Trà xanh canh tác hữu cơ trên đồi Quảng Đức, không phân bón hóa học, không thuốc trừ sâu.",
        "Vườn chè 15 ha ở Quảng Đức được canh tác hữu cơ, bón phân ủ hoai và dùng thiên địch thay thuốc trừ sâu. "
        "Búp chè được sao ở nhiệt độ thấp và vò nhẹ để giữ hương cốm. Dòng trà đinh chỉ lấy phần búp non nhất, "
        "nước vàng sáng, vị ngọt thanh.",
        ("Quang Duc organic green tea",
         "Green tea grown organically on the Quang Duc hills, with no chemical fertiliser or pesticide.",
         "The 15-hectare tea garden in Quang Duc is farmed organically, with compost and natural predators "
         "instead of pesticides. The buds are roasted at low temperature and gently rolled to keep their "
         "young-rice aroma. The 'tra dinh' grade uses only the youngest buds, for a bright yellow cup with a "
         "clean sweetness."),
        (("Hộp 100 g", "100G", 300_000, 180), ("Hộp 250 g", "250G", 700_000, 380),
         ("Hộp gỗ 100 g trà đinh", "DINH100", 2_000_000, 450)),
        storage=_SEALED, shelf_life_days=540, certs=(_ORGANIC, _VIETGAP), ships_abroad=True, plant=True,
        zh=("广德有机绿茶", "广德山丘有机种植的绿茶，不施化肥，不用农药。"),
        ko=("꽝득 유기농 녹차", "꽝득 언덕에서 화학비료와 농약 없이 유기농으로 재배한 녹차입니다."),
    ),
    ProductRow(
        "GMDT", "cong-ty-tnhh-gom-moc-lam", 21, "07093", 4,
        "Bộ ấm chén gốm men lam Đông Triều",
        "Ấm chén gốm men lam vẽ tay, nung trên 1.200 °C, làm từ đất sét Đông Triều.",
        "Đất sét trắng Đông Triều được lọc kỹ, tạo hình trên bàn xoay và vẽ tay họa tiết sen, tre bằng men lam. "
        "Sản phẩm được nung trên 1.200 °C, men bóng, không chì, an toàn khi dùng với nước nóng. Mỗi bộ được đóng "
        "hộp chống sốc, kèm thẻ ghi tên nghệ nhân vẽ.",
        ("Dong Trieu blue-glazed tea set",
         "Hand-painted blue-and-white tea sets fired above 1,200 °C, from Dong Trieu clay.",
         "White Dong Trieu clay is carefully refined, thrown on the wheel and hand-painted with lotus and bamboo "
         "motifs in cobalt blue. The pieces are fired above 1,200 °C for a glossy, lead-free glaze that is safe "
         "with hot water. Each set is packed in a shock-proof box with a card naming the painter."),
        (("Bộ 6 chén", "C6", 300_000, 700), ("Bộ 1 ấm 6 chén", "A1C6", 650_000, 1_500),
         ("Bộ ấm chén vẽ tay cao cấp, kèm khay gỗ", "CAOCAP", 5_000_000, 3_200)),
        storage="Hàng dễ vỡ; rửa bằng nước ấm, dùng được máy rửa bát.", ships_abroad=True,
        zh=("东潮青花茶具", "以东潮陶土制作、手绘青花、1200°C以上高温烧制的茶具。"),
        ko=("동찌에우 청화 다기 세트", "동찌에우 점토로 빚어 손으로 청화를 그리고 1,200°C 이상에서 구운 다기입니다."),
    ),
    ProductRow(
        "RHVD", "cong-ty-tnhh-hai-san-bai-dai", 8, "06994", 4,
        "Ruốc hàu Vân Đồn",
        "Ruốc làm từ thịt hàu Vân Đồn, sợi tơi, vị ngọt mặn hài hòa, giàu kẽm.",
        "Hàu tươi nuôi tại vùng biển Vân Đồn được tách vỏ, hấp chín, rồi sao khô và đánh tơi thủ công với nước "
        "mắm, hạt tiêu. Ruốc có màu vàng nâu, sợi xốp, thơm mùi biển. Ăn kèm cơm nóng, cháo, xôi hoặc bánh mì.",
        ("Van Don oyster floss",
         "Floss made from Van Don oyster meat: fluffy, balanced sweet and salty, rich in zinc.",
         "Fresh oysters farmed off Van Don are shucked, steamed, then dry-roasted and fluffed by hand with fish "
         "sauce and pepper. The floss is golden brown and airy, with a scent of the sea. Eat it with hot rice, "
         "porridge, sticky rice or bread."),
        (("Hũ 100 g", "100G", 150_000, 160), ("Hũ 200 g", "200G", 280_000, 280)),
        storage="Nơi khô mát; sau khi mở nắp để ngăn mát, dùng trong 30 ngày.", shelf_life_days=180,
        zh=("云屯生蚝肉松", "以云屯生蚝肉制成的肉松，松软，咸甜适中，富含锌。"),
        ko=("번돈 굴 후레이크", "번돈 굴살로 만든 후레이크로, 보송보송하고 단짠이 조화로우며 아연이 풍부합니다."),
    ),
    ProductRow(
        "RTVD", "cong-ty-tnhh-hai-san-bai-dai", 8, "06994", 3,
        "Ruốc tôm Vân Đồn",
        "Ruốc tôm biển rang khô, màu cam tự nhiên, vị ngọt đậm.",
        "Tôm biển đánh bắt quanh đảo Vân Đồn được bóc vỏ, luộc chín, rang trên lửa nhỏ rồi giã tơi. Không dùng "
        "phẩm màu: sắc cam là màu tự nhiên của tôm. Dùng rắc cơm, trộn xôi hoặc làm nhân bánh.",
        ("Van Don shrimp floss",
         "Dry-roasted sea shrimp floss, naturally orange, deeply sweet.",
         "Sea shrimp caught around Van Don island are peeled, boiled, roasted over a low flame and pounded "
         "fluffy. No colouring is added: the orange is the shrimp's own. Sprinkle it on rice, mix it into sticky "
         "rice or use it as a filling."),
        (("Hũ 100 g", "100G", 160_000, 160), ("Hũ 200 g", "200G", 300_000, 280)),
        storage="Nơi khô mát; sau khi mở nắp để ngăn mát, dùng trong 30 ngày.", shelf_life_days=180,
    ),
    ProductRow(
        "RHCB", "cong-ty-tnhh-thuy-san-ban-sen", 8, "06994", 3,
        "Ruốc hàu vị cay Bản Sen",
        "Ruốc hàu sấy tơi trộn ớt và sả, cay nhẹ, đóng hũ thủy tinh.",
        "Hàu Bản Sen được chế biến ngay trong ngày thu hoạch, sấy tơi rồi trộn với ớt khô và sả phi. Vị cay nhẹ, "
        "thơm, hợp làm món nhắm hoặc ăn kèm cơm trắng. Hũ thủy tinh hút chân không giữ ruốc giòn lâu.",
        ("Ban Sen spicy oyster floss",
         "Fluffy oyster floss with chilli and lemongrass, mildly hot, in glass jars.",
         "Ban Sen oysters are processed on the day of harvest, dried fluffy and tossed with dried chilli and "
         "fried lemongrass. Mildly spicy and fragrant, it makes a good snack or a topping for plain rice. The "
         "vacuum-sealed glass jar keeps it crisp for a long time."),
        (("Hũ 120 g", "120G", 165_000, 180), ("Hộp quà 3 hũ 120 g", "HQ3", 450_000, 600)),
        storage="Nơi khô mát; sau khi mở nắp để ngăn mát, dùng trong 30 ngày.", shelf_life_days=180,
    ),
    ProductRow(
        "SSCG", "cong-ty-tnhh-sa-sung-minh-chau", 8, "06994", 4,
        "Sá sùng chiên giòn ăn liền",
        "Sá sùng Vân Đồn làm sạch, chiên giòn, ăn ngay như một món nhắm cao cấp.",
        "Sá sùng được ngư dân đào trên bãi cát Minh Châu, Quan Lạn, lộn ruột, rửa sạch cát rồi sấy khô. Sau đó sá "
        "sùng được chiên giòn ở nhiệt độ kiểm soát, không dùng chất bảo quản. Vị ngọt, béo, giòn rụm; ăn ngay hoặc "
        "rắc lên phở, cháo.",
        ("Van Don crispy sipunculus",
         "Cleaned, crisp-fried Van Don sipunculus (peanut worm), ready to eat.",
         "Sipunculus, the sea peanut worm, is dug by hand from the sand flats of Minh Chau and Quan Lan, turned "
         "inside out, washed free of sand and dried. It is then fried crisp at a controlled temperature without "
         "preservatives. Sweet, rich and crunchy: eat it as it is, or sprinkle it on pho or porridge."),
        (("Hộp 100 g", "100G", 350_000, 180), ("Hộp 200 g", "200G", 680_000, 320)),
        storage=_SEALED, shelf_life_days=180,
        zh=("云屯即食香脆沙虫", "云屯沙虫清洗干净后炸至香脆，开袋即食。"),
        ko=("번돈 바삭 사충 튀김", "번돈 사충을 깨끗이 손질해 바삭하게 튀긴 즉석 간식입니다."),
    ),
    ProductRow(
        "SSQL", "htx-hai-san-quan-lan", 8, "06994", 3,
        "Sá sùng khô Quan Lạn",
        "Sá sùng khô loại một của đảo Quan Lạn, đặc sản để nấu nước dùng phở, lẩu.",
        "Sá sùng chỉ sống ở những bãi cát sạch, và mỗi cân sá sùng khô cần tới hàng chục cân sá sùng tươi đào tay "
        "trên bãi Quan Lạn. Sau khi làm sạch, sá sùng được phơi nắng rồi sấy than hoa cho thơm. Nướng sơ rồi ninh "
        "nước dùng phở, bún, lẩu cho vị ngọt đậm, hoặc nướng chấm tương ớt.",
        ("Quan Lan dried sipunculus",
         "First-grade dried sipunculus from Quan Lan island, prized for soup stocks.",
         "Sipunculus lives only in clean sand, and each kilo of the dried product takes many kilos of fresh "
         "worms dug by hand on the Quan Lan flats. After cleaning they are sun-dried and then smoked over "
         "charcoal for aroma. Toast lightly and simmer into stock for pho, noodle soup or hotpot for a deep "
         "sweetness, or grill and dip in chilli sauce."),
        (("Túi 100 g", "100G", 450_000, 120), ("Túi 500 g", "500G", 2_100_000, 530),
         ("Túi 1 kg", "1KG", 4_000_000, 1_040)),
        storage=_SEALED, shelf_life_days=365,
        zh=("官澜沙虫干", "官澜岛一级沙虫干，熬制河粉汤底和火锅的珍品。"),
        ko=("꽌란 건조 사충", "꽌란 섬의 1등급 건조 사충으로, 쌀국수 육수와 전골 국물에 귀하게 쓰입니다."),
    ),
    ProductRow(
        "NMCR", "htx-nuoc-mam-truyen-thong-dong-xa", 9, "06994", 4,
        "Nước mắm Cái Rồng",
        "Nước mắm cá cơm ủ chượp truyền thống trong thùng gỗ, độ đạm cao, màu cánh gián.",
        "Cá cơm đánh bắt ở vùng biển Vân Đồn được trộn muối ngay trên tàu và ủ chượp trong thùng gỗ từ 12 đến 18 "
        "tháng. Nước mắm cốt được kéo rút tự nhiên, không thêm chất điều vị hay phẩm màu. Nước mắm màu cánh gián, "
        "thơm, mặn đậm rồi ngọt hậu; dùng chấm hoặc nêm nếm.",
        ("Cai Rong fish sauce",
         "Anchovy fish sauce fermented the traditional way in wooden vats: high in protein, amber brown.",
         "Fresh anchovies caught off Van Don are salted on the boat and fermented in wooden vats for 12 to 18 "
         "months. The first-press sauce drips out naturally, with no flavour enhancers or colouring. It is amber "
         "brown and fragrant, deeply salty with a sweet finish; use it for dipping or seasoning."),
        (("Chai 500 ml", "500ML", 95_000, 800), ("Chai thủy tinh 500 ml, loại đặc biệt", "DB500", 200_000, 850)),
        storage=_DRINK, shelf_life_days=730, certs=(_HACCP,),
        zh=("盖龙鱼露", "以传统木桶发酵的凤尾鱼露，氮含量高，色泽琥珀。"),
        ko=("까이롱 피시소스", "나무통에서 전통 방식으로 숙성한 멸치 액젓으로, 단백질 함량이 높고 호박색을 띱니다."),
    ),
    ProductRow(
        "NMSS", "cong-ty-tnhh-bien-ngoc-van-don", 9, "06994", 4,
        "Nước mắm sá sùng Vân Đồn",
        "Nước mắm cá cơm nhĩ ngâm sá sùng khô, vị ngọt thanh đặc trưng của Vân Đồn.",
        "Nước mắm cốt cá cơm được ngâm thêm sá sùng khô nướng trong nhiều tháng, cho vị ngọt thanh và hương thơm "
        "riêng của Vân Đồn. Mỗi chai 500 ml có khoảng 20 g sá sùng. Dùng chấm hải sản luộc, thịt luộc hoặc nêm "
        "canh.",
        ("Van Don sipunculus fish sauce",
         "First-press anchovy fish sauce infused with dried sipunculus, with Van Don's clean sweetness.",
         "First-press anchovy fish sauce is infused for several months with toasted dried sipunculus, giving a "
         "clean sweetness and an aroma found only in Van Don. Each 500 ml bottle holds about 20 g of "
         "sipunculus. Use it as a dip for boiled seafood or pork, or to season soups."),
        (("Chai 250 ml", "250ML", 160_000, 450), ("Chai 500 ml", "500ML", 300_000, 800)),
        storage=_DRINK, shelf_life_days=730,
        zh=("云屯沙虫鱼露", "头抽凤尾鱼露中浸入沙虫干，带有云屯特有的清甜。"),
        ko=("번돈 사충 피시소스", "1번 착즙 멸치 액젓에 건조 사충을 담가 번돈 특유의 깔끔한 단맛이 납니다."),
    ),
    ProductRow(
        "CMHL", "ho-kinh-doanh-cha-muc-ba-hanh", 8, "06685", 4,
        "Chả mực Hạ Long",
        "Chả mực giã tay bằng cối đá từ mực tươi vịnh Hạ Long, dai giòn, thơm ngọt.",
        "Mực ống và mực nang tươi đánh bắt trong ngày được làm sạch, thái nhỏ rồi giã tay bằng cối đá đến khi "
        "quánh dẻo, chỉ nêm chút muối, tiêu và nước mắm. Chả được viên dẹt, hút chân không và cấp đông. Rán vàng "
        "trên lửa vừa đến khi chả phồng, ăn kèm xôi trắng hoặc bánh cuốn.",
        ("Ha Long squid cakes",
         "Hand-pounded in a stone mortar from fresh Ha Long Bay squid: springy, crunchy and sweet.",
         "Squid and cuttlefish caught the same day are cleaned, chopped and pounded by hand in a stone mortar "
         "until sticky, seasoned only with a little salt, pepper and fish sauce. The paste is shaped into flat "
         "cakes, vacuum-packed and frozen. Fry over medium heat until golden and puffed, and eat with sticky "
         "rice or steamed rice rolls."),
        (("Gói 500 g", "500G", 210_000, 520), ("Gói 1 kg", "1KG", 420_000, 1_030)),
        storage="Ngăn đông −18 °C dùng trong 3 tháng; ngăn mát dùng trong 3 ngày.", shelf_life_days=90,
        cold_chain=True,
        zh=("下龙墨鱼饼", "用下龙湾新鲜鱿鱼在石臼中手工捶打而成，弹牙爽脆，鲜甜。"),
        ko=("하롱 오징어 어묵", "하롱베이의 신선한 오징어를 돌절구에 손으로 찧어 만들어 쫄깃하고 아삭하며 달콤합니다."),
    ),
    ProductRow(
        "GTYD", "htx-ga-doi-dong-ngu", 2, "06877", 3,
        "Gà Tiên Yên",
        "Gà đồi chân vàng Tiên Yên nuôi thả hơn 150 ngày, da giòn, thịt chắc ngọt.",
        "Giống gà Tiên Yên lông vàng, chân vàng được thả trên đồi keo, bạch đàn và ăn thóc, ngô, rau xanh hơn năm "
        "tháng. Thịt gà săn chắc, da vàng mỏng và giòn, nước luộc trong và ngọt. Gà được giết mổ tại cơ sở đạt "
        "chuẩn, làm sạch và giao lạnh; luộc chấm muối tiêu chanh là ngon nhất.",
        ("Tien Yen hill chicken",
         "Yellow-legged hill chickens from Tien Yen, free-range for over 150 days: crisp skin, firm sweet meat.",
         "The Tien Yen breed, with yellow feathers and yellow legs, roams hillsides of acacia and eucalyptus and "
         "eats paddy rice, maize and greens for more than five months. The meat is firm, the thin yellow skin "
         "turns crisp, and the poaching broth is clear and sweet. Birds are slaughtered at an approved facility, "
         "cleaned and delivered chilled; best poached and dipped in salt, pepper and lime."),
        (("Con làm sẵn 1,5–1,8 kg", "C15", 330_000, 1_700), ("Con làm sẵn 1,8–2 kg", "C18", 390_000, 1_900)),
        storage=_CHILLED + " Dùng trong 3 ngày.", shelf_life_days=3, certs=(_VIETGAP,), cold_chain=True,
        barcode=False,
        zh=("先安山鸡", "先安黄脚山鸡，散养150天以上，皮脆肉紧实鲜甜。"),
        ko=("띠엔옌 산닭", "띠엔옌의 노란 다리 토종닭을 150일 넘게 방목해 껍질이 바삭하고 살이 쫄깃하며 답니다."),
    ),
    ProductRow(
        "GNCH", "htx-nong-nghiep-nep-cai-dong-trieu", 3, "07093", 3,
        "Gạo nếp cái hoa vàng Đông Triều",
        "Nếp cái hoa vàng hạt tròn, dẻo thơm, chuyên đồ xôi, làm bánh và nấu rượu.",
        "Nếp cái hoa vàng là giống lúa cổ, mỗi năm chỉ cấy một vụ mùa trên những chân ruộng phù sa ven sông ở Đông "
        "Triều. Một phần diện tích được canh tác hữu cơ, không phun thuốc diệt cỏ. Hạt gạo tròn, trắng đục, đồ xôi "
        "dẻo, thơm và không nát; ngâm gạo 6–8 tiếng trước khi đồ.",
        ("Dong Trieu yellow-flower glutinous rice",
         "Round, sticky, fragrant 'nep cai hoa vang' rice for xoi, cakes and rice wine.",
         "Nep cai hoa vang is an heirloom variety planted only once a year, in the main season, on riverside "
         "alluvial fields in Dong Trieu. Part of the area is farmed organically, without herbicides. The round, "
         "milky grains steam into sticky rice that is soft, fragrant and never mushy; soak for 6–8 hours before "
         "steaming."),
        (("Túi 2 kg", "2KG", 110_000, 2_020), ("Túi 5 kg", "5KG", 260_000, 5_050)),
        storage=_DRY, shelf_life_days=365, certs=(_VIETGAP, _ORGANIC), plant=True,
        zh=("东潮黄花糯米", "东潮黄花糯米，米粒圆润，软糯香甜，适合蒸糯米饭、做糕点和酿酒。"),
        ko=("동찌에우 황화 찹쌀", "동찌에우산 황화 찹쌀로, 낟알이 둥글고 찰지며 향긋해 찰밥, 떡, 술에 알맞습니다."),
    ),
    ProductRow(
        "RNCV", "htx-ruou-nep-yen-duc", 14, "07114", 3,
        "Rượu nếp cái hoa vàng Yên Đức",
        "Rượu trắng nấu từ nếp cái hoa vàng và men lá truyền thống, 40 % vol.",
        "Xôi nếp cái hoa vàng được ủ với men lá gia truyền gồm hơn mười loại thảo mộc, rồi chưng cất hai lần trong "
        "nồi đồng. Rượu được hạ thổ trong chum sành ít nhất sáu tháng cho êm, trong và thơm mùi nếp. Chỉ bán tại "
        "điểm bán OCOP, không bán trực tuyến; không dùng cho người dưới 18 tuổi.",
        ("Yen Duc yellow-flower glutinous rice liquor",
         "Clear liquor distilled from yellow-flower glutinous rice with traditional leaf yeast, 40 % vol.",
         "Steamed nep cai hoa vang rice is fermented with a family leaf yeast of more than ten herbs and "
         "distilled twice in copper pots. The liquor is then buried in stoneware jars for at least six months to "
         "become smooth, clear and fragrant with rice. Sold only at OCOP sales points, not online; not for "
         "anyone under 18."),
        (("Chai 500 ml", "500ML", 140_000, 950), ("Chai sứ 750 ml", "S750", 240_000, 1_400)),
        storage=_DRINK, abv="40.0",
        zh=("安德黄花糯米酒", "以黄花糯米和传统草药酒曲酿造蒸馏的白酒，酒精度40%。"),
        ko=("옌득 황화 찹쌀 소주", "황화 찹쌀과 전통 약초 누룩으로 빚어 증류한 맑은 술로, 40도입니다."),
    ),
    ProductRow(
        "RMYT", "co-so-ruou-mo-thuong-yen-cong", 15, "06832", 3,
        "Rượu mơ Yên Tử",
        "Rượu ngâm quả mơ lông Yên Tử, vị chua ngọt, thơm mùi mơ chín, 29 % vol.",
        "Quả mơ lông được hái trên sườn núi Yên Tử vào tháng 3–4, rửa sạch, để ráo rồi ngâm với đường phèn và rượu "
        "nếp. Sau ít nhất sáu tháng, rượu có màu vàng hổ phách, vị chua ngọt hài hòa và hương mơ chín. Chỉ bán tại "
        "điểm bán OCOP; không dùng cho người dưới 18 tuổi.",
        ("Yen Tu apricot liquor",
         "Rice liquor steeped with Yen Tu apricots: sweet and sour, fragrant with ripe fruit, 29 % vol.",
         "Downy apricots are picked on the slopes of Yen Tu in March and April, washed, drained and steeped with "
         "rock sugar in glutinous-rice liquor. After at least six months it turns amber, balanced sweet and "
         "sour, with the scent of ripe apricot. Sold only at OCOP sales points; not for anyone under 18."),
        (("Chai 500 ml", "500ML", 170_000, 950), ("Chai 750 ml", "750ML", 260_000, 1_300)),
        storage=_DRINK, abv="29.0",
        zh=("安子梅子酒", "以安子山梅子浸泡的米酒，酸甜可口，果香浓郁，酒精度29%。"),
        ko=("옌뜨 매실주", "옌뜨산 매실을 담근 쌀술로, 새콤달콤하고 잘 익은 매실 향이 나며 29도입니다."),
    ),
    ProductRow(
        "HSSL", "cong-ty-cp-duoc-lieu-mong-duong", 20, "06760", 3,
        "Hoài sơn sấy lát",
        "Củ hoài sơn trồng trên đồi Mông Dương, thái lát và sấy khô, không xông lưu huỳnh.",
        "Hoài sơn là củ mài, một vị thuốc bổ tỳ vị quen thuộc trong Đông y. Củ được trồng trên đất đồi Mông Dương, "
        "thu hoạch sau một năm, gọt vỏ, thái lát mỏng và sấy ở nhiệt độ thấp, không xông lưu huỳnh. Dùng nấu cháo, "
        "hầm xương hoặc tán bột pha với sữa.",
        ("Dried Chinese yam slices",
         "Chinese yam grown on the Mong Duong hills, sliced and dried without sulphur.",
         "Hoai son, the Chinese yam, is a familiar tonic for digestion in traditional medicine. It is grown on "
         "the hills of Mong Duong, harvested after a year, peeled, thinly sliced and dried at low heat, with no "
         "sulphur fumigation. Cook it in porridge, braise it with bones, or grind it and stir it into milk."),
        (("Gói 500 g", "500G", 130_000, 520), ("Gói 1 kg", "1KG", 240_000, 1_030)),
        storage=_DRY, shelf_life_days=540, ships_abroad=True, plant=True,
    ),
    ProductRow(
        "GCLT", "cong-ty-cp-duoc-lieu-mong-duong", 12, "06760", 3,
        "Trà giảo cổ lam",
        "Giảo cổ lam năm lá trồng dưới tán rừng, sấy khô; nước trà đắng nhẹ rồi ngọt.",
        "Giảo cổ lam loại năm lá được trồng dưới tán rừng ở vùng đồi Mông Dương theo tiêu chuẩn VietGAP. Cây được "
        "cắt cả thân lá, rửa sạch, sao nhẹ và sấy khô. Hãm 5 g với 500 ml nước sôi trong 10 phút; nước trà xanh "
        "nâu, ban đầu hơi đắng, sau ngọt hậu.",
        ("Jiaogulan tea",
         "Five-leaf jiaogulan grown under forest cover and dried: slightly bitter, then sweet.",
         "Five-leaf jiaogulan is grown under the forest canopy in the Mong Duong hills to VietGAP standards. "
         "Whole stems and leaves are cut, washed, lightly roasted and dried. Steep 5 g in 500 ml of boiling water "
         "for 10 minutes; the tea is green-brown, a little bitter at first and sweet afterwards."),
        (("Hộp 100 g", "100G", 110_000, 150), ("Hộp 30 túi lọc", "TL30", 150_000, 120)),
        storage=_SEALED, shelf_life_days=540, certs=(_VIETGAP,), ships_abroad=True, plant=True,
    ),
    ProductRow(
        "TDTR", "htx-tinh-dau-phong-du", 20, "06862", 3,
        "Tinh dầu tràm Tiên Yên",
        "Tinh dầu tràm nguyên chất chưng cất ở Tiên Yên, giữ ấm cho trẻ nhỏ và người già.",
        "Lá tràm được thu hái từ rừng tràm trồng ở Phong Dụ, chưng cất bằng hơi nước trong nồi đồng theo cách "
        "truyền thống. Tinh dầu trong, mùi thơm the mát, thường dùng xoa ấm ngực, lòng bàn chân hoặc xông phòng. "
        "Với trẻ nhỏ nên pha loãng với dầu dừa; không bôi lên vết thương hở.",
        ("Tien Yen cajeput essential oil",
         "Pure cajeput oil distilled in Tien Yen, traditionally used to keep babies and the elderly warm.",
         "Cajeput leaves are gathered from planted cajeput forests in Phong Du and steam-distilled in copper "
         "stills the traditional way. The oil is clear with a cool, fresh scent, and is rubbed on the chest and "
         "the soles of the feet or diffused in a room. For babies, dilute it with coconut oil; do not apply it "
         "to open wounds."),
        (("Lọ 50 ml", "50ML", 90_000, 110), ("Lọ 100 ml", "100ML", 170_000, 180)),
        storage=_SEALED, shelf_life_days=1_095, ships_abroad=True, plant=True,
        zh=("先安白千层精油", "先安蒸馏的纯白千层精油，传统上用于给婴幼儿和老人保暖。"),
        ko=("띠엔옌 카유풋 에센셜 오일", "띠엔옌에서 증류한 순수 카유풋 오일로, 예부터 아기와 어르신의 몸을 따뜻하게 하는 데 써 왔습니다."),
    ),
    ProductRow(
        "QHCD", "htx-que-quang-lam", 10, "06913", 3,
        "Quế hữu cơ Đầm Hà",
        "Quế thanh cạo vỏ từ đồi quế hữu cơ Quảng Lâm, thơm cay ngọt, nhiều tinh dầu.",
        "Cây quế được trồng trên đồi Quảng Lâm theo tiêu chuẩn hữu cơ và khai thác khi đủ mười năm tuổi. Vỏ quế "
        "được bóc, cạo lớp vỏ ngoài, cắt thanh đều rồi phơi khô tự nhiên. Dùng nấu phở, hầm thịt, pha trà quế mật "
        "ong hoặc làm đồ thủ công thơm.",
        ("Dam Ha organic cinnamon",
         "Scraped cinnamon sticks from organic groves in Quang Lam: sweet, spicy, rich in oil.",
         "The cinnamon trees are grown organically on the Quang Lam hills and harvested at ten years old. The "
         "bark is peeled, the outer layer scraped off, cut into even sticks and dried naturally. Use it in pho "
         "stock, braised meat, cinnamon-honey tea or scented crafts."),
        (("Quế thanh, gói 200 g", "T200", 45_000, 210), ("Quế thanh, gói 1 kg", "T1KG", 200_000, 1_030),
         ("Bột quế, hũ 100 g", "B100", 55_000, 150)),
        storage=_SEALED, shelf_life_days=730, certs=(_ORGANIC, _VIETGAP), ships_abroad=True, plant=True,
        zh=("潭河有机肉桂", "广林有机桂林出产的刮皮桂枝，香辣回甜，油分充足。"),
        ko=("담하 유기농 계피", "꽝럼 유기농 계피 숲에서 얻은 껍질 벗긴 계피 스틱으로, 맵싸하고 달콤하며 향유가 풍부합니다."),
    ),
    ProductRow(
        "DSBL", "htx-dau-so-huc-dong", 7, "06838", 3,
        "Dầu sở Bình Liêu",
        "Dầu ăn ép lạnh từ hạt sở Bình Liêu, màu vàng trong, thơm bùi.",
        "Cây sở mọc trên các đồi ở Húc Động; hạt được nhặt khi quả chín nứt, phơi khô và ép lạnh bằng máy ép trục "
        "vít. Dầu để lắng tự nhiên, màu vàng trong, mùi thơm bùi nhẹ, chịu nhiệt tốt. Dùng xào, rán, trộn salad; "
        "người Tày, Dao còn dùng dầu sở để chăm sóc tóc và da.",
        ("Binh Lieu camellia seed oil",
         "Cold-pressed oil from Binh Lieu tea-oil camellia seeds: clear gold and nutty.",
         "Tea-oil camellia (so) grows on the hills of Huc Dong; the seeds are gathered when the ripe fruit "
         "splits, sun-dried and cold-pressed in a screw press. The oil settles naturally, clear gold with a light "
         "nutty aroma, and copes well with heat. Use it for stir-frying, frying or salads; Tay and Dao families "
         "also use it for hair and skin care."),
        (("Chai 250 ml", "250ML", 90_000, 300), ("Chai 500 ml", "500ML", 170_000, 560)),
        storage=_DRINK, shelf_life_days=365, plant=True,
    ),
    ProductRow(
        "VTHH", "ho-kinh-doanh-vit-troi-quang-minh", 2, "06922", 3,
        "Vịt trời Hải Hà",
        "Vịt trời thuần hóa nuôi bán hoang dã ở đầm nước lợ Hải Hà, thịt săn, ít mỡ.",
        "Vịt trời được thuần hóa và nuôi bán hoang dã trong đầm nước lợ ven biển Hải Hà, tự kiếm tôm, tép, rong và "
        "được ăn thêm thóc. Thịt vịt đỏ sẫm, săn chắc, ít mỡ và thơm hơn vịt nhà. Vịt được làm sạch, đóng túi và "
        "giao lạnh; hợp nướng mật ong hoặc om sấu.",
        ("Hai Ha wild duck",
         "Semi-wild ducks raised in the brackish lagoons of Hai Ha: firm, lean meat.",
         "The wild ducks are tamed and raised semi-wild in the brackish coastal lagoons of Hai Ha, foraging for "
         "shrimp and weed and given extra paddy rice. The meat is dark red, firm, lean and more fragrant than "
         "farm duck. Birds are cleaned, bagged and delivered chilled; good roasted with honey or braised with "
         "sour fruit."),
        (("Con làm sẵn 0,8–1 kg", "C08", 190_000, 950), ("Cặp 2 con làm sẵn", "CAP2", 360_000, 1_900)),
        storage=_CHILLED + " Dùng trong 3 ngày.", shelf_life_days=3, cold_chain=True, barcode=False,
        # The other lapsed certificate.
        certified_on=dt.date(2022, 9, 5),
    ),
    ProductRow(
        "NADT", "ho-trong-na-trang-luong", 1, "07081", 3,
        "Na dai Đông Triều",
        "Na dai trồng trên đồi đá vôi Tràng Lương, múi to, cùi dày, ngọt đậm; có theo mùa tháng 7–9.",
        "Na dai được trồng trên sườn đồi đá vôi Tràng Lương theo tiêu chuẩn VietGAP, mỗi quả được bao túi từ khi "
        "còn nhỏ. Quả to, mắt thưa, cùi dày và dai, ngọt đậm, ít hạt. Na chín theo mùa từ tháng 7 đến tháng 9; "
        "ngoài mùa, sản phẩm tạm hết hàng.",
        ("Dong Trieu custard apple",
         "Custard apples from the Trang Luong hills: large segments, thick flesh, very sweet; in season July to "
         "September.",
         "The custard apples grow on the limestone slopes of Trang Luong to VietGAP standards, each fruit bagged "
         "while still small. They are large with widely spaced eyes, thick chewy flesh, few seeds and a deep "
         "sweetness. They ripen from July to September; out of season the product is sold out."),
        (("Hộp 1 kg", "1KG", 75_000, 1_100), ("Thùng 3 kg", "3KG", 210_000, 3_300)),
        storage="Để nơi thoáng mát, ăn khi quả mềm; không để ngăn đá.", shelf_life_days=5,
        certs=(_VIETGAP,), cold_chain=True, plant=True, barcode=False,
    ),
    ProductRow(
        "LMCV", "htx-chan-nuoi-vinh-thuc", 2, "06757", 3,
        "Thịt lợn Móng Cái",
        "Thịt lợn giống Móng Cái lang đen trắng, thịt mềm, thơm, mỡ giòn.",
        "Lợn Móng Cái là giống lợn nội lông lang đen trắng nổi tiếng, được hợp tác xã nuôi bằng cám gạo, ngô và "
        "rau xanh tại Vĩnh Thực. Thịt có vân mỡ xen kẽ, mềm và ngọt, bì mỏng. Hợp luộc, kho hoặc làm giò; giao "
        "lạnh trong tỉnh.",
        ("Mong Cai pork",
         "Pork from the native black-and-white Mong Cai breed: tender, fragrant, with crisp fat.",
         "The Mong Cai pig is a well-known native breed with black-and-white markings, raised by the cooperative "
         "on rice bran, maize and greens in Vinh Thuc. The meat is marbled, tender and sweet, with thin skin. "
         "Good boiled, braised or made into pork roll; chilled delivery within the province."),
        (("Ba chỉ, khay 500 g", "BC500", 95_000, 520), ("Chân giò, khay 1 kg", "CG1KG", 170_000, 1_030)),
        storage=_CHILLED + " Dùng trong 3 ngày; ngăn đông −18 °C được 3 tháng.", shelf_life_days=3,
        cold_chain=True, barcode=False,
        zh=("芒街猪肉", "芒街本地黑白花猪的猪肉，肉质细嫩，肥而不腻。"),
        ko=("몽까이 돼지고기", "몽까이 토종 흑백 얼룩돼지고기로, 부드럽고 고소합니다."),
    ),
    ProductRow(
        "CBQY", "htx-thuy-san-lien-hoa", 2, "07180", 3,
        "Cua biển Quảng Yên",
        "Cua biển nuôi trong đầm nước lợ Liên Hòa, giao sống, chắc thịt, nhiều gạch.",
        "Cua được nuôi quảng canh trong các đầm nước lợ ven sông Bạch Đằng, ăn cá tạp và ốc tự nhiên. Cua được "
        "tuyển từng con, buộc dây và giao sống trong ngày ở khu vực gần. Hấp bia, rang me hoặc nấu bún riêu đều "
        "ngon.",
        ("Quang Yen mud crab",
         "Mud crabs from the brackish ponds of Lien Hoa, delivered live: firm meat, rich roe.",
         "The crabs are raised extensively in brackish ponds along the Bach Dang river, feeding on small fish "
         "and snails. Each crab is hand-picked, tied and delivered live the same day in nearby areas. Steam with "
         "beer, stir-fry with tamarind or cook into crab noodle soup."),
        (("Cua gạch, 1 kg (3–4 con)", "GACH1KG", 650_000, 1_100),
         ("Cua thịt, 1 kg (2–3 con)", "THIT1KG", 520_000, 1_100)),
        storage="Cua sống: giữ ẩm, để nơi thoáng mát 18–22 °C, chế biến trong 24 giờ.", shelf_life_days=1,
        cold_chain=True, barcode=False,
        zh=("广安青蟹", "联和咸淡水塘养殖的青蟹，活蟹配送，肉实膏满。"),
        ko=("꽝옌 머드크랩", "리엔호아 기수 양식장의 머드크랩을 산 채로 배송하며, 살이 꽉 차고 알이 풍부합니다."),
    ),
    ProductRow(
        "TNQL", "htx-du-lich-sinh-thai-quang-la", 26, "07054", 3,
        "Trải nghiệm Thiên đường hoa Quảng La",
        "Vé vào thung lũng hoa rộng hàng chục héc-ta ở Quảng La, đẹp nhất từ tháng 11 đến tháng 3.",
        "Thung lũng hoa Quảng La trồng cải, hướng dương, cúc họa mi, tam giác mạch xen với ruộng bậc thang và suối "
        "đá. Vé có giá trị một lượt vào cửa trong ngày ghi trên vé; đưa mã vé tại quầy. Khu vườn cách trung tâm Hạ "
        "Long khoảng 30 km, có bãi đỗ xe và quầy đặc sản OCOP.",
        ("Quang La flower valley visit",
         "Entry to the flower valley of Quang La, at its best from November to March.",
         "The Quang La valley is planted with mustard flowers, sunflowers, daisies and buckwheat among terraced "
         "fields and rocky streams. A ticket gives one entry on the date shown; show the ticket code at the gate. "
         "The valley is about 30 km from central Ha Long, with parking and an OCOP specialty stall."),
        (("Vé người lớn", "NL", 80_000, 0), ("Vé trẻ em cao 1–1,3 m", "TE", 50_000, 0),
         ("Vé kèm chụp ảnh áo dài", "AODAI", 150_000, 0)),
        barcode=False,
        zh=("广罗花海体验", "广罗数十公顷花海门票，11月至次年3月最美。"),
        ko=("꽝라 꽃동산 체험", "꽝라의 넓은 꽃 계곡 입장권으로, 11월부터 3월까지 가장 아름답습니다."),
    ),
    ProductRow(
        "KVHD", "htx-du-lich-cong-dong-khe-van", 26, "06838", 3,
        "Du lịch cộng đồng thác Khe Vằn",
        "Đi bộ tới thác Khe Vằn cùng người Dao Thanh Phán, nghỉ nhà sàn, ăn cơm bản.",
        "Hướng dẫn viên người Dao Thanh Phán ở Húc Động dẫn khách đi bộ xuyên rừng tới thác Khe Vằn, kể chuyện về "
        "nghề thêu và lễ cấp sắc. Tour một ngày có bữa trưa với xôi ngũ sắc, gà đồi và rau rừng tại nhà sàn. Đặt "
        "trước ít nhất hai ngày; tour có thể dời lịch khi mưa lớn.",
        ("Khe Van waterfall community tour",
         "A walk to Khe Van waterfall with Dao Thanh Phan hosts, a rest in a stilt house and a village meal.",
         "Dao Thanh Phan guides from Huc Dong lead you through the forest to Khe Van waterfall, telling stories "
         "of their embroidery and coming-of-age rites. The full-day tour includes lunch of five-colour sticky "
         "rice, hill chicken and forest greens in a stilt house. Book at least two days ahead; tours may move in "
         "heavy rain."),
        (("Tour nửa ngày, 1 người", "NUA", 250_000, 0), ("Tour 1 ngày có bữa trưa, 1 người", "NGAY", 480_000, 0)),
        barcode=False,
    ),
    # Two more than §7, so the herbal-cosmetics and textiles sets are not empty.
    ProductRow(
        "XPQH", "htx-hoi-que-hoanh-mo", 19, "06841", 3,
        "Xà phòng thủ công quế hồi",
        "Xà phòng làm lạnh từ dầu sở, tinh dầu quế và hồi Bình Liêu, dịu nhẹ với da.",
        "Xà phòng được làm theo phương pháp lạnh từ dầu sở, dầu dừa và tinh dầu quế, hồi do hợp tác xã tự chưng "
        "cất, rồi ủ khô bốn đến sáu tuần. Bánh xà phòng tạo bọt mịn, thơm ấm và không làm khô da. Để bánh nơi khô "
        "ráo sau khi dùng cho lâu hao.",
        ("Cinnamon and star anise handmade soap",
         "Cold-process soap with Binh Lieu camellia oil and cinnamon and star anise oils, gentle on the skin.",
         "The soap is made by the cold process from camellia seed oil, coconut oil and the cooperative's own "
         "cinnamon and star anise oils, then cured for four to six weeks. It lathers finely, smells warm and "
         "does not dry the skin. Keep the bar dry between uses so it lasts longer."),
        (("Bánh 100 g", "100G", 55_000, 110), ("Hộp 3 bánh", "H3", 150_000, 350)),
        storage=_DRY, shelf_life_days=730, ships_abroad=True,
    ),
    ProductRow(
        "TCDT", "htx-theu-tho-cam-hoanh-mo", 22, "06841", 3,
        "Túi thổ cẩm Dao Thanh Phán",
        "Túi và ví thêu tay hoa văn Dao Thanh Phán trên vải chàm, mỗi chiếc một mẫu.",
        "Phụ nữ Dao Thanh Phán ở Hoành Mô thêu tay hoa văn cây thông, chim, sao tám cánh bằng chỉ đỏ, vàng, trắng "
        "trên nền vải nhuộm chàm. Mỗi chiếc túi mất ba đến năm ngày thêu, nên không chiếc nào giống chiếc nào. Túi "
        "có lót trong và khóa kéo, dùng hằng ngày hoặc làm quà.",
        ("Dao Thanh Phan embroidered bag",
         "Bags and purses hand-embroidered with Dao Thanh Phan patterns on indigo cloth, each one unique.",
         "Dao Thanh Phan women in Hoanh Mo embroider pine, bird and eight-pointed-star motifs in red, yellow and "
         "white thread on indigo-dyed cloth. Each bag takes three to five days of stitching, so no two are "
         "alike. Lined and zipped, for everyday use or as a gift."),
        (("Túi đeo chéo", "TUI", 320_000, 250), ("Ví cầm tay", "VI", 150_000, 90)),
        storage="Giặt tay nhẹ bằng nước lạnh, phơi trong bóng râm.", ships_abroad=True,
        zh=("瑶族青衣刺绣包", "瑶族青衣支系妇女在靛蓝布上手工刺绣的包和钱包，每件图案都独一无二。"),
        ko=("자오타인판 자수 가방", "자오타인판 여성들이 쪽빛 천에 손으로 수놓은 가방과 지갑으로, 하나하나 무늬가 다릅니다."),
    ),
)

#: Variants held nowhere, so the shop shows a sold-out product (custard apples are out of season).
SOLD_OUT_SKUS = frozenset({"QN-NADT-1KG", "QN-NADT-3KG"})


# ---- sales points -------------------------------------------------------------------------------

@dataclass(frozen=True)
class SalesPointRow:
    code: str
    ward: str
    place: str  #: completes "Điểm giới thiệu và bán sản phẩm OCOP …"
    place_en: str
    place_zh: str
    place_ko: str
    street: str
    lat: float
    lng: float
    hours: str  #: schema.org openingHours lines
    mode: PickupMode
    description: str
    description_en: str
    shelf: int  #: how many different products it holds

    @property
    def name(self) -> str:
        return f"Điểm giới thiệu và bán sản phẩm OCOP {self.place}"


_ANY, _OWN, _OFF = PickupMode.ANY_STOCK, PickupMode.OWN_STOCK, PickupMode.OFF

#: The province's 23 points. Places are real localities; streets, phones and stock are illustrative.
SALES_POINTS = (
    SalesPointRow(
        "HL01", "06673", "Bãi Cháy", "Bai Chay", "下龙拜寨", "하롱 바이짜이", "Số 2 đường Hạ Long",
        20.9571, 107.0402, "Mo-Su 08:00-22:00", _ANY,
        "Điểm bán lớn nhất tỉnh, ngay khu du lịch Bãi Cháy, trưng bày hơn ba mươi sản phẩm OCOP tiêu biểu. Mở cửa "
        "đến 22 giờ và nhận hàng đặt trực tuyến từ mọi chủ thể.",
        "The province's largest sales point, in the Bai Chay tourist area, with more than thirty flagship OCOP "
        "products. Open until 10 pm, and receives online orders from every producer.", 40,
    ),
    SalesPointRow(
        "HL02", "06685", "Hồng Gai", "Hong Gai", "下龙鸿基", "하롱 홍가이", "Số 6 phố Bến Đoan",
        20.9512, 107.0786, "Mo-Su 08:00-21:00", _ANY,
        "Gần chợ Hạ Long 1 và bến tàu Hòn Gai, thuận tiện mua quà trước khi ra đảo.",
        "Near Ha Long 1 market and the Hon Gai pier, handy for buying gifts before heading out to the islands.", 28,
    ),
    SalesPointRow(
        "HL03", "06706", "Tuần Châu", "Tuan Chau", "下龙巡州岛", "뚜언쩌우", "Khu du lịch quốc tế Tuần Châu",
        20.9290, 106.9930, "Mo-Su 07:30-21:30", _OWN,
        "Quầy trong khu cảng tàu du lịch Tuần Châu; đơn đặt trực tuyến chỉ nhận được những hàng có sẵn tại quầy.",
        "A counter at the Tuan Chau cruise harbour; online orders can collect only what the counter holds.", 20,
    ),
    SalesPointRow(
        "HL04", "06688", "Hạ Long", "Ha Long", "下龙", "하롱", "Số 1 đường Trần Quốc Nghiễn",
        20.9520, 107.1010, "Mo-Fr 07:30-17:30\nSa-Su 08:00-20:00", _ANY,
        "Trung tâm giới thiệu sản phẩm OCOP của tỉnh, nơi tổ chức hội chợ OCOP hằng năm. Kho hàng lớn, nhận hàng đặt "
        "trực tuyến từ mọi chủ thể.",
        "The province's OCOP centre, home of the yearly OCOP fair. A large store that receives online orders from "
        "every producer.", 36,
    ),
    SalesPointRow(
        "HL05", "07030", "Hoành Bồ", "Hoanh Bo", "横蒲", "호안보", "Tổ 2, khu 5",
        21.0125, 107.0460, "Mo-Sa 07:30-17:30", _ANY,
        "Điểm bán của vùng đồi Hoành Bồ, giới thiệu đặc sản các xã Quảng La, Thống Nhất.",
        "The sales point of the Hoanh Bo hills, showing specialities from Quang La and Thong Nhat.", 12,
    ),
    SalesPointRow(
        "HL06", "06673", "Cảng tàu khách quốc tế Hạ Long", "Ha Long International Cruise Port",
        "下龙国际邮轮港", "하롱 국제 크루즈항", "Cảng tàu khách quốc tế Hạ Long, đường Hạ Long",
        20.9548, 107.0575, "Mo-Su 07:00-19:00", _OFF,
        "Quầy phục vụ khách tàu biển quốc tế, chỉ bán trực tiếp tại quầy; không nhận hàng đặt trực tuyến.",
        "A counter for international cruise passengers, selling over the counter only; no online pickups.", 22,
    ),
    SalesPointRow(
        "CP01", "06793", "Cẩm Phả", "Cam Pha", "锦普", "깜파", "Số 368 đường Trần Phú",
        21.0105, 107.2905, "Mo-Su 07:30-20:30", _ANY,
        "Điểm bán ở trung tâm Cẩm Phả, trên trục đường chính của thành phố mỏ.",
        "In the centre of Cam Pha, on the main street of the mining town.", 18,
    ),
    SalesPointRow(
        "CP02", "06778", "Quang Hanh", "Quang Hanh", "锦普温泉区", "꽝하인", "Khu suối khoáng nóng, Quốc lộ 18",
        21.0080, 107.2260, "Mo-Su 08:00-21:00", _ANY,
        "Cạnh khu suối khoáng nóng Quang Hanh, nơi khách nghỉ dưỡng ghé mua nước khoáng và dược liệu.",
        "Beside the Quang Hanh hot springs, where spa guests stop for mineral water and herbal products.", 12,
    ),
    SalesPointRow(
        "UB01", "06811", "Uông Bí", "Uong Bi", "汪秘", "우옹비", "Số 120 đường Quang Trung",
        21.0370, 106.7720, "Mo-Su 07:30-20:00", _ANY,
        "Điểm bán ở trung tâm Uông Bí, trên đường đi Yên Tử.",
        "In the centre of Uong Bi, on the way to Yen Tu.", 16,
    ),
    SalesPointRow(
        "UB02", "06832", "Yên Tử", "Yen Tu", "安子山", "옌뜨", "Khu Nam Mẫu, khu di tích Yên Tử",
        21.1190, 106.7330, "Mo-Su 06:30-18:00", _OWN,
        "Quầy dưới chân núi Yên Tử phục vụ khách hành hương; đơn trực tuyến chỉ nhận hàng có sẵn tại quầy.",
        "A counter at the foot of Yen Tu mountain for pilgrims; online orders collect only what it holds.", 10,
    ),
    SalesPointRow(
        "MC01", "06712", "Trà Cổ", "Tra Co", "芒街茶古", "짜꼬", "Khu du lịch bãi biển Trà Cổ",
        21.4730, 108.0150, "Mo-Su 07:30-21:00", _ANY,
        "Điểm bán bên bãi biển Trà Cổ, phục vụ khách du lịch trong nước và khách Trung Quốc.",
        "By Tra Co beach, serving both Vietnamese and Chinese visitors.", 14,
    ),
    SalesPointRow(
        "MC02", "06709", "Cửa khẩu Móng Cái", "Mong Cai Border Gate", "芒街口岸", "몽까이 국경 관문",
        "Đường Hữu Nghị, khu cửa khẩu quốc tế Móng Cái", 21.5390, 107.9670, "Mo-Su 07:00-20:00", _OWN,
        "Quầy ở khu cửa khẩu quốc tế, có nhân viên nói tiếng Trung; đơn trực tuyến chỉ nhận hàng có sẵn tại quầy.",
        "A counter at the international border gate with Chinese-speaking staff; online orders collect only "
        "what it holds.", 15,
    ),
    SalesPointRow(
        "DT01", "07093", "Đông Triều", "Dong Trieu", "东潮", "동찌에우", "Số 45 đường Trần Nhân Tông",
        21.0835, 106.5130, "Mo-Su 07:30-19:00", _ANY,
        "Điểm bán ở trung tâm Đông Triều, giới thiệu gốm, nếp cái hoa vàng và nông sản của vùng.",
        "In the centre of Dong Trieu, showing the area's ceramics, yellow-flower glutinous rice and farm produce.", 14,
    ),
    SalesPointRow(
        "DT02", "07069", "Mạo Khê", "Mao Khe", "冒溪", "마오케", "Số 210 Quốc lộ 18",
        21.0590, 106.6020, "Mo-Sa 07:30-18:00", _ANY,
        "Điểm bán trên Quốc lộ 18, thuận tiện cho khách đi từ Hà Nội, Hải Phòng.",
        "On National Road 18, convenient for travellers from Hanoi and Hai Phong.", 9,
    ),
    SalesPointRow(
        "QY01", "07132", "Quảng Yên", "Quang Yen", "广安", "꽝옌", "Số 9 đường Ngô Quyền",
        20.9380, 106.8080, "Mo-Sa 07:30-17:30\nSu 08:00-12:00", _ANY,
        "Điểm bán ở trung tâm Quảng Yên, gần khu di tích bãi cọc Bạch Đằng.",
        "In the centre of Quang Yen, near the Bach Dang stake-field relic site.", 10,
    ),
    SalesPointRow(
        "VD01", "06994", "Vân Đồn", "Van Don", "云屯", "번돈", "Khu 4 Cái Rồng",
        21.0615, 107.4205, "Mo-Su 07:00-20:00", _ANY,
        "Điểm bán ở thị trấn Cái Rồng cũ, gần cảng đi các đảo Quan Lạn, Minh Châu, Cô Tô.",
        "In old Cai Rong town, near the piers for Quan Lan, Minh Chau and Co To.", 16,
    ),
    SalesPointRow(
        "VD02", "06994", "Cảng hàng không quốc tế Vân Đồn", "Van Don International Airport", "云屯国际机场",
        "번돈 국제공항", "Nhà ga hành khách, Cảng hàng không quốc tế Vân Đồn",
        21.1172, 107.4140, "Mo-Su 06:00-22:00", _OFF,
        "Quầy trong nhà ga sân bay, chỉ bán trực tiếp cho hành khách; không nhận hàng đặt trực tuyến.",
        "A counter in the airport terminal selling to passengers only; no online pickups.", 12,
    ),
    SalesPointRow(
        "CT01", "07192", "Cô Tô", "Co To", "姑苏岛", "꼬또", "Khu 2, gần cảng Cô Tô",
        20.9800, 107.7665, "Mo-Su 07:00-20:00", _OWN,
        "Điểm bán trên đảo Cô Tô; hàng từ đất liền không chuyển ra đảo, nên đơn trực tuyến chỉ nhận hàng có sẵn tại "
        "quầy.",
        "On Co To island; parcels from the mainland are not shipped out, so online orders collect only what the "
        "point holds.", 8,
    ),
    SalesPointRow(
        "BL01", "06838", "Bình Liêu", "Binh Lieu", "平辽", "빈리에우", "Khu phố Bình Quyền",
        21.5300, 107.4010, "Mo-Su 07:30-18:00", _ANY,
        "Điểm bán của huyện miền núi Bình Liêu cũ, nơi có miến dong, mật ong, tinh dầu hồi và thổ cẩm.",
        "The sales point of the Binh Lieu highlands, home of glass noodles, honey, star anise oil and embroidery.", 12,
    ),
    SalesPointRow(
        "TY01", "06862", "Tiên Yên", "Tien Yen", "先安", "띠엔옌", "Phố Lý Thường Kiệt",
        21.3320, 107.3990, "Mo-Su 07:00-19:00", _ANY,
        "Điểm bán ở ngã ba Tiên Yên, nơi Quốc lộ 18 gặp đường lên Bình Liêu.",
        "At the Tien Yen crossroads, where National Road 18 meets the road up to Binh Lieu.", 10,
    ),
    SalesPointRow(
        "BC01", "06970", "Ba Chẽ", "Ba Che", "巴扯", "바쩨", "Khu 4",
        21.2710, 107.2870, "Mo-Sa 07:30-17:30", _OWN,
        "Quầy nhỏ ở trung tâm Ba Chẽ, bán trà hoa vàng, ba kích và rượu của vùng; đơn trực tuyến chỉ nhận hàng có "
        "sẵn.",
        "A small counter in the centre of Ba Che selling the area's yellow camellia, morinda and liquors; online "
        "orders collect only what it holds.", 8,
    ),
    SalesPointRow(
        "DH01", "06895", "Đầm Hà", "Dam Ha", "潭河", "담하", "Phố Lê Lợi",
        21.3520, 107.5980, "Mo-Sa 07:30-17:30", _ANY,
        "Điểm bán ở trung tâm Đầm Hà, nổi bật với quế hữu cơ Quảng Lâm.",
        "In the centre of Dam Ha, best known for the organic cinnamon of Quang Lam.", 7,
    ),
    SalesPointRow(
        "HH01", "06922", "Hải Hà", "Hai Ha", "海河", "하이하", "Số 30 đường Quang Trung",
        21.4515, 107.7520, "Mo-Su 07:30-18:00", _ANY,
        "Điểm bán ở Quảng Hà, giới thiệu trà hoa vàng, chè Đường Hoa và đặc sản vùng biên.",
        "In Quang Ha, showing yellow camellia, Duong Hoa tea and other border-area specialities.", 10,
    ),
)

#: Old districts (before 2025) as groups of today's wards: a sales point holds its own area's products.
AREAS = {
    "HL": ("06706", "06661", "06673", "06652", "06676", "06658", "06685", "06688", "07030", "07054", "07060"),
    "CP": ("06760", "06778", "06793", "06781", "06799"),
    "UB": ("06832", "06820", "06811"),
    "MC": ("06724", "06733", "06757", "06712", "06709", "06736"),
    "DT": ("07090", "07093", "07081", "07069", "07114"),
    "QY": ("07135", "07147", "07132", "07168", "07183", "07180"),
    "VD": ("06994",),
    "CT": ("07192",),
    "BL": ("06841", "06856", "06838"),
    "TY": ("06862", "06874", "06877", "06886"),
    "BC": ("06985", "06979", "06970"),
    "DH": ("06913", "06895"),
    "HH": ("06922", "06946", "06931", "06967"),
}
#: The big Hạ Long points have cold rooms, so they also hold chilled goods from elsewhere.
COLD_ROOM_POINTS = frozenset({"HL01", "HL02", "HL04"})
#: The two largest points hold every spirit, so each one is on sale in at least three places.
SPIRIT_POINTS = frozenset({"HL01", "HL04"})


# ---- loading ------------------------------------------------------------------------------------

#: Valid demo certificates were granted in this window, so all of them are still current in 2026.
CERTIFIED_FROM, CERTIFIED_TO = dt.date(2024, 1, 15), dt.date(2026, 6, 15)
#: Benchmark names: a demo product's name, a qualifier and a number.
BENCH_QUALIFIERS = (("loại 1", "grade 1"), ("loại đặc biệt", "premium grade"), ("hộp quà", "gift box"),
                    ("gói tiết kiệm", "value pack"), ("mùa mới", "new season"), ("chọn lọc", "select"))
BENCH_BATCH = 2_000
MINISTRY_RENAMED = dt.date(2025, 3, 1)


def seed_demo(scale: int = 0) -> str:
    """Load what is missing of the demo catalog, top up `scale` benchmark products, commit once, report."""
    try:
        added = _seed_categories()
        added += _seed_producers()
        added += _seed_products()
        added += _seed_sales_points()
        added += _seed_locations()
        added += _seed_stock()
        bench_added = _seed_synthetic(scale)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return _report(added, bench_added, scale)


def _report(added: int, bench_added: int, scale: int) -> str:
    """Say how much of the catalog is there now and how many rows this run added."""
    is_bench = Product.slug.like(f"{BENCH_PREFIX}%")
    report = (f"Demo catalog: {_count(Producer)} producers, {_count(Product, ~is_bench)} products, "
              f"{_count(SalesPoint)} sales points ({added} added)")
    if scale:
        report += f"; benchmark: {_count(Product, is_bench)} synthetic products ({bench_added} added)"
    return report


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _i18n(**fields_by_lang: dict[str, str]) -> dict:
    """Build an i18n value from {lang: {field: text}}, leaving out empty texts and languages."""
    value = {}
    for lang, fields in fields_by_lang.items():
        kept = {field: nfc(text) for field, text in fields.items() if text}
        if kept:
            value[lang] = kept
    return value


def _sku(code: str, suffix: str) -> str:
    return f"QN-{code}-{suffix}"


def _seed_categories() -> int:
    """Add the sectors and product sets that are missing; product sets take their sector's colour."""
    sectors = {c.sector_code: c for c in db.session.scalars(
        select(Category).where(Category.parent_id.is_(None), Category.sector_code.is_not(None)))}
    have_sets = set(db.session.scalars(select(Category.set_no).where(Category.set_no.is_not(None))))
    taken = set(db.session.scalars(select(Category.slug)))
    added = 0
    for position, (code, name, en, zh, ko, colour) in enumerate(SECTORS, start=1):
        if code not in sectors:
            sectors[code] = Category(slug=_unique_slug(name, taken), sector_code=code, name=nfc(name), colour=colour,
                                     position=position, i18n=_i18n(en={"name": en}, zh={"name": zh}, ko={"name": ko}))
            db.session.add(sectors[code])
            added += 1
    for set_no, code, name, en, zh, ko in PRODUCT_SETS:
        if set_no in have_sets:
            continue
        sector = sectors[code]
        db.session.add(Category(slug=_unique_slug(name, taken), parent=sector, set_no=set_no, name=nfc(name),
                                colour=sector.colour, position=set_no,
                                i18n=_i18n(en={"name": en}, zh={"name": zh}, ko={"name": ko})))
        added += 1
    db.session.flush()
    return added


def _seed_producers() -> int:
    """Add the fictional producers that are missing."""
    existing = set(db.session.scalars(select(Producer.slug).where(Producer.slug.in_([p.slug for p in PRODUCERS]))))
    added = 0
    for index, row in enumerate(PRODUCERS):
        if row.slug in existing:
            continue
        producer = Producer(
            slug=row.slug, name=nfc(row.name), kind=row.kind, ward_code=row.ward,
            address=nfc(_address(row.street, row.ward)), phone=_phone(index, landline=row.kind == _CO),
            email=_email(row.slug), founded_year=row.founded, story=nfc(row.story),
            i18n=_i18n(en={"story": row.story_en}, zh={"story": row.story_zh}, ko={"story": row.story_ko}),
            is_fictional=True, is_active=True, created_at=_at(SHOP_OPENED - dt.timedelta(days=60 - index)),
        )
        producer.refresh_sort_key()
        db.session.add(producer)
        added += 1
    db.session.flush()
    return added


def _certificate_no(rng: random.Random, stars: int, day: dt.date) -> str:
    """Return a plausible decision number: the Ministry grants 5★, the province's People's Committee 3★ and 4★."""
    if stars == 5:
        # The ministry was renamed (Nông nghiệp và Môi trường) on 1 March 2025, and its decisions with it.
        return f"QĐ {rng.randint(100, 3999)}/QĐ-" + ("BNNMT" if day >= MINISTRY_RENAMED else "BNN-VPĐP")
    return f"QĐ {rng.randint(100, 4999)}/QĐ-UBND"


def _day_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def _listed_on(rng: random.Random, certified: dt.date) -> dt.date:
    """Return when a product went on sale: soon after its certificate, not before the shop opened."""
    return min(max(certified, SHOP_OPENED) + dt.timedelta(days=rng.randint(3, 75)), CATALOG_DAY)


def _gtin(producer_index: int, product_index: int, position: int) -> str:
    # 893 is Vietnam's GS1 prefix; the company and item numbers are invented.
    return ean13(f"893{8600 + producer_index:04d}{product_index:03d}{position:02d}")


def _seed_products() -> int:
    """Add the demo products that are missing, with their variants and certifications."""
    existing = set(db.session.scalars(select(Product.slug).where(Product.slug.in_([r.slug for r in PRODUCTS]))))
    wanted = [(index, row) for index, row in enumerate(PRODUCTS) if row.slug not in existing]
    if not wanted:
        return 0
    all_skus = [_sku(row.code, v[1]) for _, row in wanted for v in row.variants]
    taken_skus = set(db.session.scalars(select(Variant.sku).where(Variant.sku.in_(all_skus))))
    producers = {p.slug: p for p in db.session.scalars(
        select(Producer).where(Producer.slug.in_({row.producer for _, row in wanted})))}
    categories = {c.set_no: c for c in db.session.scalars(select(Category).where(Category.set_no.is_not(None)))}
    producer_index = {p.slug: i for i, p in enumerate(PRODUCERS)}
    new = []
    for index, row in wanted:
        producer, category = producers.get(row.producer), categories.get(row.set_no)
        if producer is None or category is None:
            continue  # an operator removed or renamed it: leave the product out rather than guess
        rng = _rng("product", row.code)
        certified = row.certified_on or _day_between(rng, CERTIFIED_FROM, CERTIFIED_TO)
        listed = _listed_on(rng, certified)
        product = Product(
            slug=row.slug, name=nfc(row.name), summary=nfc(row.summary), description=nfc(row.description),
            status=ProductStatus.PUBLISHED, producer=producer, category=category,
            ocop_stars=row.stars, ocop_certificate_no=row.certificate_no or _certificate_no(rng, row.stars, certified),
            ocop_certified_on=certified, ocop_expires_on=add_months(certified, CERTIFICATE_MONTHS),
            origin_ward_code=row.ward,
            growing_area_code=f"VN-QNI-{row.code}-{rng.randint(1, 60):04d}" if row.plant else "",
            traceability_code=f"QN-TX-{certified.year}-{rng.randint(1, 999_999):06d}",
            storage=nfc(row.storage), shelf_life_days=row.shelf_life_days,
            abv_percent=Decimal(row.abv) if row.abv else None, cold_chain=row.cold_chain,
            # Decree 105/2017: spirits of 15 % or more are shown but never sold online.
            sold_online=not row.is_spirit, ships_abroad=row.ships_abroad,
            created_at=_at(listed, hour=rng.randint(8, 16)), published_at=_at(listed, hour=17),
            i18n=_i18n(
                en=dict(zip(("name", "summary", "description"), row.en)),
                zh=dict(zip(("name", "summary"), row.zh or ())), ko=dict(zip(("name", "summary"), row.ko or ())),
            ),
        )
        # is_active is set here, not left to the column default: refresh_derived reads it before any flush.
        product.variants = [
            Variant(label=nfc(label), sku=_sku(row.code, suffix), price_vnd=price, weight_g=weight, position=position,
                    gtin=_gtin(producer_index[row.producer], index, position) if row.barcode else "", is_active=True)
            for position, (label, suffix, price, weight) in enumerate(row.variants)
            if _sku(row.code, suffix) not in taken_skus
        ]
        product.certifications = [ProductCertification(code=code) for code in row.certs]
        db.session.add(product)
        new.append(product)
    db.session.flush()
    for product in new:
        product.refresh_derived()
    db.session.flush()
    return len(new) + sum(len(p.variants) + len(p.certifications) for p in new)


def _seed_sales_points() -> int:
    """Add the sales points that are missing."""
    existing = set(db.session.scalars(select(SalesPoint.code)))
    added = 0
    for index, row in enumerate(SALES_POINTS):
        if row.code in existing:
            continue
        db.session.add(SalesPoint(
            code=row.code, name=nfc(row.name), ward_code=row.ward, address=nfc(_address(row.street, row.ward)),
            lat=row.lat, lng=row.lng, opening_hours=row.hours, phone=_phone(100 + index, landline=True),
            description=nfc(row.description), pickup_mode=row.mode, is_active=True,
            i18n=_i18n(
                en={"name": f"OCOP Showroom {row.place_en}", "description": row.description_en},
                zh={"name": f"{row.place_zh} OCOP 展销点"}, ko={"name": f"{row.place_ko} OCOP 전시판매장"},
            ),
        ))
        added += 1
    db.session.flush()
    return added


def _seed_locations() -> int:
    """Give every demo producer and sales point its stock location, if it has none."""
    producer_ids = set(db.session.scalars(
        select(Producer.id).where(Producer.slug.in_([p.slug for p in PRODUCERS]))))
    point_ids = set(db.session.scalars(
        select(SalesPoint.id).where(SalesPoint.code.in_([s.code for s in SALES_POINTS]))))
    producer_ids -= set(db.session.scalars(select(Location.producer_id).where(Location.producer_id.is_not(None))))
    point_ids -= set(db.session.scalars(select(Location.sales_point_id).where(Location.sales_point_id.is_not(None))))
    db.session.add_all([Location(kind=LocationKind.PRODUCER, producer_id=i) for i in sorted(producer_ids)]
                       + [Location(kind=LocationKind.SALES_POINT, sales_point_id=i) for i in sorted(point_ids)])
    db.session.flush()
    return len(producer_ids) + len(point_ids)


def assortment(point: SalesPointRow) -> list[ProductRow]:
    """Return the demo products a sales point holds: its own area's, spirits at the big points, then a draw."""
    area = AREAS[point.code[:2]]
    eligible = [
        row for row in PRODUCTS
        if not row.is_voucher
        and not all(_sku(row.code, v[1]) in SOLD_OUT_SKUS for v in row.variants)
        and (not row.cold_chain or row.ward in area or point.code in COLD_ROOM_POINTS)
    ]
    chosen = dict.fromkeys(row for row in eligible if row.ward in area)
    if point.code in SPIRIT_POINTS:
        chosen.update(dict.fromkeys(row for row in eligible if row.is_spirit))
    # A weighted draw without replacement (Efraimidis–Spirakis): more stars, more likely on the shelf.
    rng = _rng("assortment", point.code)
    rest = sorted((row for row in eligible if row not in chosen), key=lambda row: rng.random() ** (1 / (row.stars - 2)),
                  reverse=True)
    return list(chosen) + rest[:max(0, point.shelf - len(chosen))]


def stock_plan() -> list[tuple[str, tuple[str, str], int]]:
    """Return (SKU, (kind, producer slug or point code), quantity) for every demo stock row."""
    plan = []
    for row in PRODUCTS:
        rng = _rng("stock", row.code)
        for _label, suffix, _price, _weight in row.variants:
            sku = _sku(row.code, suffix)
            plan.append((sku, ("producer", row.producer), 0 if sku in SOLD_OUT_SKUS else rng.randint(20, 300)))
    for point in SALES_POINTS:
        for row in assortment(point):
            rng = _rng("stock", point.code, row.code)
            for _label, suffix, price, _weight in row.variants:
                # Jewellery worth millions sits in a locked case, a few pieces at a time.
                quantity = rng.randint(2, 6) if price >= 5_000_000 else rng.randint(2, 40)
                plan.append((_sku(row.code, suffix), ("point", point.code), quantity))
    return plan


def _seed_stock() -> int:
    """Add the planned stock rows that are missing; quantities already there are the operator's."""
    plan = stock_plan()
    variants = dict(db.session.execute(
        select(Variant.sku, Variant.id).where(Variant.sku.in_({sku for sku, _, _ in plan}))).all())
    locations = {("producer", slug): loc for slug, loc in db.session.execute(
        select(Producer.slug, Location.id).join(Location, Location.producer_id == Producer.id))}
    locations.update({("point", code): loc for code, loc in db.session.execute(
        select(SalesPoint.code, Location.id).join(Location, Location.sales_point_id == SalesPoint.id))})
    have = {(variant_id, location_id) for variant_id, location_id in db.session.execute(
        select(Stock.variant_id, Stock.location_id).where(Stock.variant_id.in_(list(variants.values()))))}
    rows = []
    for sku, owner, quantity in plan:
        key = (variants.get(sku), locations.get(owner))
        if None not in key and key not in have:
            have.add(key)
            rows.append({"variant_id": key[0], "location_id": key[1], "quantity": quantity, "allocated": 0})
    if rows:
        db.session.execute(insert(Stock), rows)
    return len(rows)


# ---- benchmark products -------------------------------------------------------------------------

def _bench_number(slug: str) -> int | None:
    number = slug[len(BENCH_PREFIX):].split("-", 1)[0]
    return int(number) if number.isdigit() else None


def _seed_synthetic(target: int) -> int:
    """Top the benchmark products up to `target` (numbers 1…target), inserted in bulk batches."""
    if target <= 0:
        return 0
    have = {_bench_number(s) for s in db.session.scalars(
        select(Product.slug).where(Product.slug.like(f"{BENCH_PREFIX}%")))}
    missing = [n for n in range(1, target + 1) if n not in have]
    if not missing:
        return 0
    context = _BenchContext.load()
    for start in range(0, len(missing), BENCH_BATCH):
        _insert_bench_batch(missing[start:start + BENCH_BATCH], context)
    return len(missing)


@dataclass
class _BenchContext:
    """What every benchmark row refers to, read once: producers, categories, locations, bases."""

    producers: dict[str, tuple[int, str]]  #: slug → (id, name)
    fallback: list[tuple[int, str]]  #: every active producer, for bases whose producer is gone
    categories: dict[int, tuple[int, str]]  #: set number → (id, name)
    producer_locations: dict[int, int]
    point_locations: list[int]
    bases: list[ProductRow]
    taken_skus: set[str]  #: benchmark SKUs already in use, never inserted twice

    @classmethod
    def load(cls) -> _BenchContext:
        rows = db.session.execute(
            select(Producer.id, Producer.slug, Producer.name).where(Producer.is_active.is_(True)).order_by(Producer.id))
        producers = {slug: (pid, name) for pid, slug, name in rows}
        if not producers:
            raise RuntimeError("Benchmark products need producers: load the demo catalog first.")
        categories = {n: (cid, name) for cid, n, name in db.session.execute(
            select(Category.id, Category.set_no, Category.name).where(Category.set_no.is_not(None)))}
        return cls(
            producers=producers, fallback=list(producers.values()), categories=categories,
            producer_locations=dict(db.session.execute(
                select(Location.producer_id, Location.id).where(Location.producer_id.is_not(None))).all()),
            point_locations=list(db.session.scalars(
                select(Location.id).where(Location.sales_point_id.is_not(None)).order_by(Location.id))),
            # Spirits are display-only and vouchers are not goods: neither makes a useful benchmark row.
            bases=[r for r in PRODUCTS if not r.is_spirit and not r.is_voucher and r.set_no in categories],
            taken_skus=set(db.session.scalars(select(Variant.sku).where(Variant.sku.like(f"{BENCH_SKU_PREFIX}%")))),
        )


def _insert_bench_batch(numbers: list[int], context: _BenchContext) -> None:
    """Insert one batch of benchmark products with their variants, certifications and stock."""
    products, variants, certifications = [], [], []
    stub_producers, stub_categories = {}, {}
    for n in numbers:
        rng = _rng("bench", n)
        base = context.bases[n % len(context.bases)]
        qualifier, qualifier_en = BENCH_QUALIFIERS[(n // len(context.bases)) % len(BENCH_QUALIFIERS)]
        producer_id, producer_name = context.producers.get(base.producer) or context.fallback[n % len(context.fallback)]
        category_id, category_name = context.categories[base.set_no]
        name = nfc(f"{base.name} {qualifier} #{n:05d}")
        certified = _day_between(rng, CERTIFIED_FROM, CERTIFIED_TO)
        listed = _day_between(rng, SHOP_OPENED, CATALOG_DAY)
        i18n = {"en": {"name": f"{base.en[0]} {qualifier_en} #{n:05d}", "summary": base.en[1]}}
        chosen = [
            {"label": nfc(label), "sku": f"{BENCH_SKU_PREFIX}{n:05d}-{position + 1}", "gtin": "",
             "price_vnd": max(1_000, int(round(price * rng.uniform(0.85, 1.3), -3))), "weight_g": weight,
             "position": position, "is_active": True}
            for position, (label, _suffix, price, weight) in enumerate(base.variants[:rng.randint(1, 2)])
        ]
        chosen = [v for v in chosen if v["sku"] not in context.taken_skus]
        # The listing columns come from Product.refresh_derived itself, run on a throwaway copy that is never
        # added to the session, so benchmark rows match what the shop would compute.
        if producer_id not in stub_producers:
            stub_producers[producer_id] = Producer(name=producer_name)
        if category_id not in stub_categories:
            stub_categories[category_id] = Category(name=category_name)
        stand_in = Product(name=name, summary=nfc(base.summary), origin_ward_code=base.ward, i18n=i18n,
                           producer=stub_producers[producer_id], category=stub_categories[category_id],
                           variants=[Variant(label=v["label"], sku=v["sku"], price_vnd=v["price_vnd"],
                                             is_active=True) for v in chosen])
        stand_in.refresh_derived()
        products.append({
            "slug": f"{BENCH_PREFIX}{n:05d}-{slugify(f'{base.name} {qualifier}')}"[:160],
            "producer_id": producer_id, "category_id": category_id, "name": name,
            "summary": nfc(base.summary), "description": nfc(base.description), "status": ProductStatus.PUBLISHED,
            "ocop_stars": min(base.stars, 4), "ocop_certificate_no": _certificate_no(rng, 4, certified),
            "ocop_certified_on": certified, "ocop_expires_on": add_months(certified, CERTIFICATE_MONTHS),
            "origin_ward_code": base.ward,
            "growing_area_code": f"VN-QNI-{base.code}-{rng.randint(1, 60):04d}" if base.plant else "",
            "traceability_code": f"QN-TX-{certified.year}-{n:06d}", "storage": nfc(base.storage),
            "shelf_life_days": base.shelf_life_days, "abv_percent": Decimal(base.abv) if base.abv else None,
            "cold_chain": base.cold_chain, "sold_online": True, "ships_abroad": base.ships_abroad,
            "price_from_vnd": stand_in.price_from_vnd, "search_text": stand_in.search_text,
            "name_folded": stand_in.name_folded, "created_at": _at(listed, hour=rng.randint(8, 16)),
            "published_at": _at(listed, hour=17), "i18n": i18n,
        })
        variants.append(chosen)
        certifications.append(base.certs)
    # Plain executemany inserts, then one query for the new ids: far faster on SQLite than RETURNING,
    # which SQLAlchemy has to split into many small statements there.
    db.session.execute(insert(Product), products)
    ids = dict(db.session.execute(
        select(Product.slug, Product.id).where(Product.slug.in_([p["slug"] for p in products]))).all())
    product_ids = [ids[p["slug"]] for p in products]
    variant_rows = [dict(v, product_id=pid) for pid, chosen in zip(product_ids, variants) for v in chosen]
    db.session.execute(insert(Variant), variant_rows)
    ids = dict(db.session.execute(
        select(Variant.sku, Variant.id).where(Variant.sku.in_([v["sku"] for v in variant_rows]))).all())
    variant_ids = [ids[v["sku"]] for v in variant_rows]
    cert_rows = [{"product_id": pid, "code": code} for pid, codes in zip(product_ids, certifications) for code in codes]
    if cert_rows:
        db.session.execute(insert(ProductCertification), cert_rows)
    producer_of = {pid: p["producer_id"] for pid, p in zip(product_ids, products)}
    _insert_bench_stock(variant_rows, variant_ids, producer_of, context)


def _insert_bench_stock(variant_rows: list[dict], variant_ids: list[int], producer_of: dict[int, int],
                        context: _BenchContext) -> None:
    """Stock every benchmark variant at its producer, and about a third of them at one or two sales points."""
    stock = []
    for row, variant_id in zip(variant_rows, variant_ids):
        rng = _rng("bench-stock", row["sku"])
        held = {context.producer_locations.get(producer_of[row["product_id"]]): rng.randint(20, 300)}
        if context.point_locations and rng.random() < 0.3:
            for location in rng.sample(context.point_locations, k=min(rng.randint(1, 2), len(context.point_locations))):
                held[location] = rng.randint(2, 40)
        stock += [{"variant_id": variant_id, "location_id": location, "quantity": quantity, "allocated": 0}
                  for location, quantity in held.items() if location is not None]
    if stock:
        db.session.execute(insert(Stock), stock)
