"""The spreadsheet format: which sheets, which columns, what each column holds.

One definition serves the template, the import and the list exports, so a file exported from
the portal can be edited and imported back. Headers are Vietnamese and fixed whatever the page
language: they are the contract people's files are written against.
"""

from dataclasses import dataclass

from khuyencong.text import normalise

# Cell kinds: how a cell is read and written.
TEXT, MONEY, INT, YEAR, DATE, CHOICE = "text", "money", "int", "year", "date", "choice"


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    kind: str = TEXT
    required: bool = False
    width: int = 18
    help: str = ""
    example: str = ""
    # The list (in the "Danh mục" sheet) a CHOICE column picks from.
    choices: str = ""
    # Written by exports for reading; ignored by the import.
    export_only: bool = False

    @property
    def title(self) -> str:
        """The header as written in row 1; required columns carry a star."""
        return f"{self.header} *" if self.required else self.header


@dataclass(frozen=True)
class Sheet:
    title: str
    columns: tuple[Column, ...]

    def column(self, field: str) -> Column:
        return next(c for c in self.columns if c.field == field)

    @property
    def importable(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if not c.export_only)

    def header_map(self) -> dict[str, Column]:
        """Normalised header text -> column, tolerant of case, diacritics, spaces and the star."""
        return {normalise(c.header): c for c in self.columns}


def header_key(text) -> str:
    return normalise(str(text or "").replace("*", ""))


MONEY_HELP = (
    "Số nguyên đồng (ví dụ 30722300000), hoặc gõ dạng chữ theo triệu đồng như 30.722,3 "
    "(dấu chấm ngăn cách hàng nghìn, dấu phẩy ngăn cách phần thập phân), "
    "hoặc số đồng kèm chữ đ: 30.722.300.000 đ."
)

FACILITIES = Sheet(
    "Cơ sở CNNT",
    (
        Column(
            "tax_code",
            "Mã số thuế / số đăng ký",
            width=20,
            help="Khóa nhận diện cơ sở: dòng có mã đã có trong hệ thống sẽ cập nhật cơ sở đó. "
            "Định dạng ô là Văn bản để giữ số 0 ở đầu. Để trống nếu cơ sở chưa có mã: khi đó "
            "cơ sở được nhận diện theo tên và tỉnh.",
            example="0101234567",
        ),
        Column("name", "Tên cơ sở", required=True, width=40, example="HTX Mây tre Xuân Lai"),
        Column(
            "legal_form",
            "Loại hình",
            CHOICE,
            required=True,
            width=24,
            choices="legal_form",
            example="Hợp tác xã",
        ),
        Column(
            "province",
            "Tỉnh, thành phố",
            CHOICE,
            required=True,
            width=20,
            choices="province",
            help="Cơ sở mới chỉ thuộc một trong 34 tỉnh, thành phố hiện nay.",
            example="Bắc Ninh",
        ),
        Column("address", "Địa chỉ", width=40, example="Xã Xuân Lai"),
        Column("sector", "Ngành nghề", width=24, example="Mây tre đan"),
        Column("employees", "Số lao động", INT, width=12, example="35"),
        Column(
            "area_class",
            "Địa bàn",
            CHOICE,
            width=26,
            choices="area_class",
            help="Để trống là địa bàn bình thường.",
            example="Địa bàn khó khăn",
        ),
        Column("representative", "Người đại diện", width=24, example="Nguyễn Văn An"),
        Column("phone", "Điện thoại", width=16, example="0912345678"),
        Column("email", "Thư điện tử", width=26, example="htx@example.vn"),
        Column("proposal_count", "Số đề án", INT, width=10, export_only=True),
    ),
)

PROPOSALS = Sheet(
    "Đề án",
    (
        Column(
            "code",
            "Mã đề án",
            required=True,
            width=18,
            help="Khóa nhận diện đề án: dòng có mã đã có sẽ sửa đề án đó (chỉ khi còn dự thảo "
            "hoặc bị trả lại để sửa).",
            example="BN-2026-001",
        ),
        Column("title", "Tên đề án", required=True, width=50, example="Hỗ trợ máy móc thiết bị"),
        Column("year", "Năm kế hoạch", YEAR, required=True, width=10, example="2026"),
        Column(
            "province",
            "Tỉnh, thành phố",
            CHOICE,
            required=True,
            width=20,
            choices="province",
            help="Tỉnh tại thời điểm của năm kế hoạch: đề án năm 2023 thuộc Hòa Bình, "
            "năm 2026 thuộc Phú Thọ.",
            example="Bắc Ninh",
        ),
        Column(
            "implementing_unit",
            "Đơn vị thực hiện",
            required=True,
            width=30,
            example="Trung tâm Khuyến công Bắc Ninh",
        ),
        Column(
            "fund",
            "Nguồn kinh phí",
            CHOICE,
            required=True,
            width=24,
            choices="fund",
            example="Khuyến công địa phương (tỉnh)",
        ),
        Column(
            "content",
            "Nội dung hoạt động",
            CHOICE,
            required=True,
            width=36,
            choices="content",
            help="Chọn trong danh sách, hoặc ghi số thứ tự nội dung (1–9).",
            example="3",
        ),
        Column(
            "activity",
            "Loại hoạt động",
            CHOICE,
            width=40,
            choices="activity",
            help="Loại hoạt động thuộc nội dung đã chọn (chọn trong danh sách, hoặc ghi mã như "
            "machinery). Bắt buộc với đề án mới.",
            example="Hỗ trợ ứng dụng máy móc thiết bị tiên tiến",
        ),
        Column("kind", "Loại đề án", CHOICE, required=True, width=18, choices="kind"),
        Column("objectives", "Mục tiêu", width=30),
        Column("scale", "Quy mô", width=24),
        Column("schedule", "Tiến độ thực hiện", width=24),
        Column(
            "start_date",
            "Ngày bắt đầu",
            DATE,
            width=13,
            help="Ô ngày tháng, hoặc chữ dạng dd/mm/yyyy.",
            example="01/03/2026",
        ),
        Column("end_date", "Ngày kết thúc", DATE, width=13, example="30/11/2026"),
        Column(
            "support_vnd",
            "Kinh phí khuyến công hỗ trợ (đồng)",
            MONEY,
            required=True,
            width=20,
            help=MONEY_HELP,
            example="500000000",
        ),
        Column(
            "counterpart_vnd",
            "Vốn đối ứng (đồng)",
            MONEY,
            width=20,
            help="Như cột kinh phí hỗ trợ; để trống là 0.",
            example="1.000,5",
        ),
        Column("other_vnd", "Nguồn khác (đồng)", MONEY, width=18, help="Để trống là 0."),
        Column("state", "Trạng thái", width=18, export_only=True),
        Column("decision_number", "Số quyết định", width=16, export_only=True),
        Column("decision_date", "Ngày quyết định", DATE, width=14, export_only=True),
        Column(
            "approved_support_vnd",
            "Kinh phí được phê duyệt (đồng)",
            MONEY,
            width=20,
            export_only=True,
        ),
        Column("total_cost_vnd", "Tổng kinh phí (đồng)", MONEY, width=20, export_only=True),
    ),
)

BENEFICIARIES = Sheet(
    "Cơ sở thụ hưởng",
    (
        Column(
            "code",
            "Mã đề án",
            required=True,
            width=18,
            help="Mã của một đề án ở trang “Đề án” trong cùng tệp.",
            example="BN-2026-001",
        ),
        Column(
            "tax_code",
            "Mã số thuế cơ sở",
            required=True,
            width=20,
            help="Cơ sở phải có sẵn trong hệ thống (nhập trước bằng mẫu Cơ sở CNNT).",
            example="0101234567",
        ),
        Column("facility_name", "Tên cơ sở", width=40, export_only=True),
        Column(
            "support_vnd",
            "Kinh phí hỗ trợ (đồng)",
            MONEY,
            width=20,
            help=MONEY_HELP,
            example="250000000",
        ),
        Column("counterpart_vnd", "Vốn đối ứng (đồng)", MONEY, width=20, example="500000000"),
    ),
)

SHEETS = {"facilities": (FACILITIES,), "proposals": (PROPOSALS, BENEFICIARIES)}
GUIDE_TITLE = "Hướng dẫn"
LISTS_TITLE = "Danh mục"
