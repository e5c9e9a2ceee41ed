"""The import templates: the data sheets with drop-down lists, a guide and the lists themselves."""

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from exchange.cells import choice_lists
from exchange.export import NUMBER_FORMATS
from exchange.sheets import (
    CHOICE,
    DATE,
    GUIDE_TITLE,
    INT,
    LISTS_TITLE,
    SHEETS,
    TEXT,
    YEAR,
    Column,
)
from khuyencong.sheets import BOLD, HEADER_FILL, WRAP

# Number formats of the data columns: text keeps tax codes' leading zeros.
FORMATS = {TEXT: "@", CHOICE: "@", **NUMBER_FORMATS}
LAST_ROW = 50_001

GENERAL_RULES = [
    "Mỗi dòng là một bản ghi; dòng 1 là tiêu đề, không đổi tên hay xóa cột. Cột có dấu * là "
    "bắt buộc. Có thể bỏ các cột không bắt buộc; cột lạ làm tệp bị từ chối.",
    "Tải tệp lên ở trang “Nhập dữ liệu”: hệ thống kiểm tra từng dòng và cho xem trước kết quả "
    "(thêm mới, cập nhật, không đổi, lỗi kèm cột và lý do). Chỉ khi bạn xác nhận mới ghi.",
    "Tất cả hoặc không gì cả: chỉ cần một dòng lỗi là không dòng nào được ghi. Sửa tệp rồi "
    "tải lên lại.",
    "Nhập lại cùng một tệp không làm thay đổi gì: cơ sở nhận diện theo mã số thuế, đề án "
    "theo mã đề án.",
    "Tiền: số nguyên đồng trong ô kiểu số (30722300000), hoặc chữ theo triệu đồng dạng "
    "30.722,3 (dấu chấm ngăn cách hàng nghìn, dấu phẩy ngăn cách thập phân), hoặc chữ theo "
    "đồng kèm “đ”: 30.722.300.000 đ. Ô kiểu số có phần lẻ bị từ chối vì không rõ đơn vị.",
    "Ngày: ô ngày tháng hoặc chữ dd/mm/yyyy. Danh mục (loại hình, nguồn kinh phí, nội dung, "
    "tỉnh, địa bàn, loại đề án): chọn trong danh sách thả xuống; xem trang “Danh mục”.",
]
PROPOSAL_RULES = [
    "Đề án: chỉ lập mới hoặc sửa đề án còn dự thảo hay bị trả lại để sửa, của tỉnh mà Trung "
    "tâm Khuyến công của bạn được lập đề án. Đề án đã gửi đi không sửa được qua tệp.",
    "Cơ sở thụ hưởng: mỗi dòng ở trang “Cơ sở thụ hưởng” là một cơ sở của một đề án (mã đề "
    "án, mã số thuế cơ sở, kinh phí hỗ trợ, vốn đối ứng). Trang này là danh sách đầy đủ: đề án "
    "không có dòng nào ở đây sẽ không có cơ sở thụ hưởng. Tổng theo cơ sở phải bằng số của đề án.",
]


def _lists_sheet(workbook, lists) -> dict[str, str]:
    """Write each list in its own column; returns list name -> range formula."""
    ws = workbook.create_sheet(LISTS_TITLE)
    ranges = {}
    for index, choices in enumerate(lists.values(), 1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = 34
        cell = ws.cell(row=1, column=index, value=choices.name)
        cell.font, cell.fill = BOLD, HEADER_FILL
        for row, label in enumerate(choices.labels, 2):
            ws.cell(row=row, column=index, value=label)
        last = max(2, len(choices.labels) + 1)
        ranges[choices.name] = f"{quote_sheetname(LISTS_TITLE)}!${letter}$2:${letter}${last}"
    return ranges


def _prompt(column: Column) -> str:
    text = column.help or ("Bắt buộc." if column.required else "")
    return text[:250]


def _data_sheet(workbook, sheet, ranges):
    ws = workbook.create_sheet(sheet.title)
    ws.freeze_panes = "A2"
    for index, column in enumerate(sheet.importable, 1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = column.width
        ws.column_dimensions[letter].number_format = FORMATS[column.kind]
        cell = ws.cell(row=1, column=index, value=column.title)
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, WRAP
        area = f"{letter}2:{letter}{LAST_ROW}"
        if column.kind == CHOICE:
            validation = DataValidation(
                type="list",
                formula1=ranges[column.choices],
                allow_blank=True,
                # A warning, not a stop: the import also takes keys and numbers ("3", "sme").
                errorStyle="warning",
                errorTitle="Không có trong danh mục",
                error=f"Hãy chọn {column.header.lower()} trong danh sách.",
            )
        else:
            # Only a prompt, no rule: money may also be typed as text in triệu.
            validation = DataValidation(allow_blank=True)
        prompt = _prompt(column)
        if prompt:
            validation.showInputMessage = True
            validation.promptTitle = column.header[:32]
            validation.prompt = prompt
        if column.kind == CHOICE or prompt:
            validation.add(area)
            ws.add_data_validation(validation)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.importable))}1"


def _guide_sheet(workbook, kind, sheets):
    ws = workbook.create_sheet(GUIDE_TITLE)
    for letter, width in zip("ABCDE", (22, 34, 10, 80, 24), strict=True):
        ws.column_dimensions[letter].width = width
    ws.append(["Hướng dẫn điền mẫu nhập dữ liệu"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    rules = GENERAL_RULES + (PROPOSAL_RULES if kind == "proposals" else [])
    for rule in rules:
        ws.append(["", rule])
        ws.merge_cells(start_row=ws.max_row, start_column=2, end_row=ws.max_row, end_column=5)
        ws.cell(row=ws.max_row, column=2).alignment = WRAP
        ws.row_dimensions[ws.max_row].height = 15 * (1 + len(rule) // 120)
    ws.append([])
    ws.append(["Trang", "Cột", "Bắt buộc", "Cách ghi", "Ví dụ"])
    for cell in ws[ws.max_row]:
        cell.font, cell.fill = BOLD, HEADER_FILL
    for sheet in sheets:
        for column in sheet.importable:
            how = column.help or {
                CHOICE: "Chọn trong danh sách.",
                DATE: "Ô ngày tháng hoặc dd/mm/yyyy.",
                INT: "Số nguyên.",
                YEAR: "Năm, ví dụ 2026.",
            }.get(column.kind, "Chữ.")
            ws.append([sheet.title, column.header, "có" if column.required else "", how])
            ws.cell(row=ws.max_row, column=5).value = column.example
            ws.cell(row=ws.max_row, column=5).number_format = "@"
            ws.cell(row=ws.max_row, column=4).alignment = WRAP


def build_template(kind: str, province_slugs=None) -> Workbook:
    """The template of `kind` (facilities or proposals); provinces narrowed to the user's."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheets = SHEETS[kind]
    ranges = _lists_sheet(workbook, choice_lists(province_slugs))
    for sheet in sheets:
        _data_sheet(workbook, sheet, ranges)
    _guide_sheet(workbook, kind, sheets)
    # Data sheets first (Excel opens on the first), then the guide, the lists last.
    workbook.move_sheet(LISTS_TITLE, offset=len(workbook.sheetnames) - 1)
    workbook.active = 0
    return workbook
