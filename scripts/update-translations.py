#!/usr/bin/env python3
# Run from the repository root after changing @tr() strings in ui/.
# Writes lang/*/LC_MESSAGES/lobby-kiosk.po from the table below.
T = {
"{} 列 × {} 行": ("{} 列 × {} 行", "{} columns × {} rows"),
"{} 列，左右滑动或点按钮查看更多": ("{} 列，左右滑動或點按鈕查看更多", "{} columns: swipe or use the buttons for more"),
"互动交流": ("互動交流", "Contact us"),
"仅中文": ("僅中文", "Chinese only"),
"信息公开": ("信息公開", "Public records"),
"公告栏": ("公告欄", "Notices"),
"内容可能不是最新": ("內容可能不是最新", "Content may be out of date"),
"内容暂不可用": ("內容暫不可用", "Content not yet available"),
"内容更新于 {} · {}": ("內容更新於 {} · {}", "Content updated {} · {}"),
"内容版本 {}": ("內容版本 {}", "Content version {}"),
"到现场次数": ("到現場次數", "Visits in person"),
"办事指南": ("辦事指南", "Service guides"),
"办理依据": ("辦理依據", "Legal basis"),
"办理地点": ("辦理地點", "Where"),
"办理条件": ("辦理條件", "Who can apply"),
"办理流程": ("辦理流程", "Process"),
"即将返回首页并清除本次浏览记录": ("即將返回首頁並清除本次瀏覽記錄", "Returning to Home and clearing this visit"),
"取消": ("取消", "Cancel"),
"向右滚动": ("向右滾動", "Scroll right"),
"向左滚动": ("向左滾動", "Scroll left"),
"在线": ("在線", "Online"),
"场馆开放": ("場館開放", "Venues"),
"审批服务事项与办事流程": ("審批服務事項與辦事流程", "Approvals, services and how to apply"),
"已输入 {} 位": ("已輸入 {} 位", "{} digits entered"),
"常见问题 · 热点回应 · 局长信箱": ("常見問題 · 熱點回應 · 局長信箱", "FAQ · Hot topics · Mailbox"),
"年度报告 · 公开指南 · 申请": ("年度報告 · 公開指南 · 申請", "Reports · Guide · Requests"),
"开放时间与惠民时段": ("開放時間與惠民時段", "Opening hours and free sessions"),
"扫码在手机上办理或带走本指南": ("掃碼在手機上辦理或帶走本指南", "Scan to apply online or keep this guide"),
"扫码带走：在手机上继续阅读": ("掃碼帶走：在手機上繼續閱讀", "Take it with you: scan to read on your phone"),
"找到 {} 条结果": ("找到 {} 條結果", "{} results"),
"承诺时限": ("承諾時限", "Promised time"),
"按行查看": ("按行查看", "Show as cards"),
"按表格查看": ("按表格查看", "Show as table"),
"搜索": ("搜索", "Search"),
"搜索内容": ("搜索內容", "Search text"),
"收费": ("收費", "Fee"),
"文字大小": ("文字大小", "Text size"),
"显示更多（还有 {} 条）": ("顯示更多（還有 {} 條）", "Show more ({} left)"),
"暂无内容": ("暫無內容", "Nothing here yet"),
"本终端尚未下载到内容，正在连接网络，请稍后再试或咨询服务窗口工作人员。": ("本終端尚未下載到內容，正在連接網絡，請稍後再試或諮詢服務窗口工作人員。", "This kiosk has not downloaded its content yet. It keeps trying; please come back later or ask at a service window."),
"查看表格": ("查看表格", "Open table"),
"查看详情": ("查看詳情", "Read it"),
"欢迎使用政务公开自助终端": ("歡迎使用政務公開自助終端", "Welcome to the self-service information kiosk"),
"每行一张卡片": ("每行一張卡片", "One card per row"),
"没有找到相关内容。您可以浏览办事指南，或通过互动交流栏目和咨询电话求助。": ("沒有找到相關內容。您可以瀏覽辦事指南，或通過互動交流欄目和咨詢電話求助。", "Nothing found. Browse the service guides, or get help under Contact us or from the enquiry hotlines."),
"清除": ("清除", "Clear"),
"演示内容": ("示範內容", "Demo content"),
"申请材料": ("申請材料", "Documents to bring"),
"相关问答": ("相關問答", "Related questions"),
"确认": ("確認", "OK"),
"示例数据：原报告此部分缺失，数字仅作演示": ("示例數據：原報告此部分缺失，數字僅作演示", "Sample data: this part is missing from the source report; the figures are illustrative"),
"离线": ("離線", "Offline"),
"空格": ("空格", "Space"),
"立即同步": ("立即同步", "Sync now"),
"管理员 PIN": ("管理員 PIN", "Admin PIN"),
"管理面板": ("管理面板", "Admin panel"),
"紧急": ("緊急", "Urgent"),
"紧急通知": ("緊急通知", "Urgent notice"),
"继续使用": ("繼續使用", "Continue"),
"置顶": ("置頂", "Pinned"),
"请轻触下方栏目查看公告、办事指南和政府信息": ("請輕觸下方欄目查看公告、辦事指南和政府信息", "Tap a tile below for notices, service guides and public information"),
"轻触屏幕开始使用": ("輕觸屏幕開始使用", "Tap the screen to start"),
"输入拼音、拼音首字母、英文或数字": ("輸入拼音、拼音首字母、英文或數字", "Type pinyin, initials, English or digits"),
"输入拼音或关键词查找": ("輸入拼音或關鍵詞查找", "Find by pinyin or keyword"),
"返回": ("返回", "Back"),
"退出管理": ("退出管理", "Leave admin"),
"退格": ("退格", "Backspace"),
"热门搜索": ("熱門搜索", "Popular searches"),
"拼音": ("拼音", "Pinyin"),
"手写": ("手寫", "Handwriting"),
"手写板": ("手寫板", "Handwriting pad"),
"在方框里用手指写一个字": ("在方框裡用手指寫一個字", "Write one character in the box with your finger"),
"手写输入暂不可用，请使用拼音键盘。": ("手寫輸入暫不可用，請使用拼音鍵盤。", "Handwriting is not available here: please use the pinyin keyboard."),
"一次写一个字。只识别简体字形：繁体字请按简体写。": ("一次寫一個字。只識別簡體字形：繁體字請按簡體寫，候選字以繁體顯示。", "One character at a time. Only simplified shapes are recognised: write a traditional character in its simplified form."),
"重写": ("重寫", "Rewrite"),
"通知公告 · 政策解读 · 新闻": ("通知公告 · 政策解讀 · 新聞", "Notices · Policies · News"),
"首页": ("首頁", "Home"),
"高对比度": ("高對比度", "High contrast"),
}
import re, glob, sys
used = set()
for path in glob.glob('ui/**/*.slint', recursive=True):
    used |= set(re.findall(r'@tr\("([^"]*)"', open(path).read()))
missing = used - set(T)
if missing:
    sys.exit("untranslated: " + ", ".join(sorted(missing)))
def esc(s): return s.replace('\\', '\\\\').replace('"', '\\"')
for idx, lang in [(0, 'zh-Hant'), (1, 'en')]:
    out = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"', f'"Language: {lang}\\n"', '']
    for key in sorted(used):
        out += [f'msgid "{esc(key)}"', f'msgstr "{esc(T[key][idx])}"', '']
    open(f'lang/{lang}/LC_MESSAGES/lobby-kiosk.po', 'w').write('\n'.join(out))
print("wrote", len(used), "strings")
