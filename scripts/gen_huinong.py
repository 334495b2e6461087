#!/usr/bin/env python3
"""Generate the bundled Huinong District (惠农区) sample dataset.

Writes ``orglink/data/huinong/*.csv`` (UTF-8 without BOM, ``\\n`` line endings, Chinese
headers as a district office writes them). Stdlib only and fully deterministic: a fixed
seed, no clock, no hash randomisation, so two runs give byte-identical files (the script
checks this itself by generating twice and comparing SHA-256 digests).

What comes from the source document (``来源`` = ``文件``): the district, the three named
streets and communities, the district party committee and a few committees named in it, the
4 owners' committees; and every *count* the document gives (40 communities, 202 grids,
38 grid party branches, 244 grid party groups, 45 district departments, 78 resident units,
1,500+ reporting party members, 660 handled livelihood matters, 24 暖"新"驿站 + 1 司机之家,
53.43 % party members in owners' committees). Everything else is synthetic
(``来源`` = ``synthetic``). A self-check at the end fails if any of those figures drifts.

Usage: ``python scripts/gen_huinong.py [output_dir]``
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

SEED = 20240660
DOC = "文件"
SYN = "synthetic"
SEP = "；"
ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "orglink" / "data" / "huinong"

CENTRE = (39.21, 106.77)  # Huinong town, roughly

# --------------------------------------------------------------------------------------
# Territory
# --------------------------------------------------------------------------------------
# id, name, kind, source, centre lat, centre lon, urban?
STREETS = [
    ("S01", "南街街道", "街道", DOC, 39.226, 106.776, True),
    ("S02", "北街（中街）街道", "街道", DOC, 39.244, 106.781, True),
    ("S03", "园艺镇", "镇", DOC, 39.172, 106.742, False),
    ("S04", "育才路街道", "街道", SYN, 39.236, 106.760, True),
    ("S05", "河滨街街道", "街道", SYN, 39.212, 106.792, True),
    ("S06", "火车站街道", "街道", SYN, 39.199, 106.771, True),
    ("S07", "红果子镇", "镇", SYN, 39.285, 106.806, False),
    ("S08", "尾闸镇", "镇", SYN, 39.140, 106.792, False),
    ("S09", "礼和乡", "乡", SYN, 39.165, 106.700, False),
]

# street id -> community names (first of the three named ones is from the document)
COMMUNITIES = {
    "S01": ["春晖社区", "南苑社区", "康乐社区", "和平社区", "幸福社区", "惠民社区", "锦华社区"],
    "S02": ["星火社区", "北苑社区", "友谊社区", "团结社区", "光明社区", "朝阳社区", "中街社区",
            "新华社区"],
    "S03": ["桥东社区", "园艺社区", "庆丰社区"],
    "S04": ["育才社区", "文化社区", "兴民社区", "永康社区", "向阳社区", "建设社区"],
    "S05": ["河滨社区", "滨河社区", "黄河社区", "长胜社区", "金岸社区"],
    "S06": ["站前社区", "铁东社区", "铁西社区", "安居社区"],
    "S07": ["红果子社区", "宝丰社区", "东风社区"],
    "S08": ["尾闸社区", "清水社区"],
    "S09": ["礼和社区", "庙台社区"],
}
DOC_COMMUNITIES = {"春晖社区", "星火社区", "桥东社区"}
# communities whose 所属街道 is written as the street's NAME instead of its id
BY_NAME_COMMUNITIES = {"康乐社区", "锦华社区", "兴民社区", "宝丰社区", "庙台社区"}

# Streets whose units may offer 法律服务 (legal services). The other streets have no legal
# provider anywhere within their linkage reach, so legal needs raised there stay unmet.
LEGAL_STREETS = {"S01", "S02", "S04", "S05", "S06"}
NO_LEGAL_STREETS = {"S03", "S07", "S08", "S09"}
SHORT_CATEGORIES = ("养老托幼", "物业环境")  # open demand deliberately exceeds supply

CATEGORIES = ("场地设施", "志愿服务", "医疗健康", "法律服务", "教育培训", "文化体育", "就业创业",
              "养老托幼", "物业环境", "平安建设", "资金物资", "便民服务")

COMPOUND_PREFIX = [
    "惠安", "康馨", "锦绣", "金福", "阳光", "和谐", "祥和", "福润", "丽景", "盛世", "安泰", "华府",
    "翠苑", "嘉和", "富康", "瑞祥", "泰和", "兴盛", "怡景", "长乐", "永安", "鑫城", "宁馨", "欣荣",
    "景泰", "华兴", "福星", "润园", "康泰", "银河", "新城", "东城", "西城", "滨河", "湖畔", "沙湖",
    "贺兰", "朔方", "铁路", "电厂", "冶金", "煤机", "建材", "供销", "粮站", "农机", "化工", "邮电",
    "石化", "电力", "水务", "学府", "锦园", "青山", "春华", "秋实", "丰泽", "宏达", "恒安", "万家",
]
COMPOUND_SUFFIX = ["小区", "花园", "家园", "苑", "佳苑", "新村", "家属院", "公寓", "大院", "雅居"]

# --------------------------------------------------------------------------------------
# Units
# --------------------------------------------------------------------------------------
# A category entry may be "类别" or "类别/固定资源名称".
# district departments: name, kind, street, resource categories, also a resident unit?
DEPARTMENTS = [
    ("区委办公室", "机关", "S02", ["志愿服务", "便民服务"], False),
    ("区人大常委会办公室", "机关", "S02", ["志愿服务", "场地设施/会议室共享"], False),
    ("区政府办公室", "机关", "S02", ["志愿服务", "便民服务/代缴代办服务"], False),
    ("区政协办公室", "机关", "S02", ["志愿服务", "文化体育/书法绘画培训"], False),
    ("区纪委监委", "机关", "S02", ["志愿服务", "教育培训/党课宣讲"], False),
    ("区委组织部", "机关", "S02", ["教育培训/党课宣讲", "志愿服务"], False),
    ("区委宣传部", "机关", "S02", ["文化体育/文艺演出进社区", "志愿服务"], False),
    ("区委统战部", "机关", "S02", ["志愿服务", "资金物资/爱心捐赠"], False),
    ("区委政法委员会", "机关", "S02", ["平安建设/治安巡逻", "志愿服务"], False),
    ("区委机构编制委员会办公室", "机关", "S02", ["志愿服务"], False),
    ("区发展和改革局", "机关", "S02", ["资金物资/社区治理帮扶资金", "志愿服务"], False),
    ("区教育体育局", "机关", "S04", ["教育培训", "文化体育", "养老托幼/四点半课堂"], False),
    ("区工业信息化和科学技术局", "机关", "S02", ["就业创业", "教育培训/电脑技能培训"], False),
    ("区民政局", "机关", "S01", ["养老托幼", "资金物资/困难群众慰问物资", "志愿服务"], False),
    ("区司法局", "机关", "S01", ["法律服务/法律援助", "法律服务/人民调解服务"], False),
    ("区财政局", "机关", "S02", ["资金物资/社区治理帮扶资金", "志愿服务"], False),
    ("区人力资源和社会保障局", "机关", "S01", ["就业创业/招聘岗位", "就业创业/职业技能培训",
                                        "就业创业/公益性岗位"], False),
    ("区自然资源局", "机关", "S04", ["物业环境/绿化养护", "志愿服务"], False),
    ("区住房和城乡建设局", "机关", "S04", ["物业环境/老旧小区环境整治", "物业环境/管网维修"], False),
    ("区交通运输局", "机关", "S06", ["便民服务", "平安建设/安全隐患排查"], False),
    ("区农业农村和水务局", "机关", "S05", ["就业创业/创业指导", "物业环境/管网维修"], False),
    ("区商务和投资促进局", "机关", "S02", ["就业创业/招聘岗位", "便民服务"], False),
    ("区文化旅游广电局", "机关", "S01", ["文化体育", "场地设施/活动场地开放"], False),
    ("区卫生健康局", "机关", "S01", ["医疗健康", "养老托幼/日间照料床位"], False),
    ("区退役军人事务局", "机关", "S01", ["就业创业/招聘岗位", "志愿服务"], False),
    ("区应急管理局", "机关", "S05", ["平安建设/消防演练", "平安建设/安全隐患排查"], False),
    ("区审计局", "机关", "S02", ["志愿服务"], False),
    ("区市场监督管理局", "机关", "S01", ["平安建设/安全隐患排查", "便民服务"], False),
    ("区统计局", "机关", "S02", ["志愿服务"], False),
    ("区医疗保障局", "机关", "S01", ["医疗健康/健康知识讲座", "便民服务/代缴代办服务"], False),
    ("区信访局", "机关", "S02", ["志愿服务/结对帮扶志愿者"], False),
    ("区城市管理综合执法局", "机关", "S05", ["物业环境/垃圾清运", "便民服务"], False),
    ("区林业和草原局", "机关", "S04", ["物业环境/绿化养护"], False),
    ("区乡村振兴局", "机关", "S05", ["就业创业/公益性岗位", "资金物资"], False),
    ("区政务服务管理局", "机关", "S01", ["便民服务/代缴代办服务"], False),
    ("区机关事务服务中心", "事业单位", "S02", ["场地设施/职工食堂对外开放", "便民服务"], False),
    ("区融媒体中心", "事业单位", "S02", ["文化体育", "志愿服务"], False),
    ("区委党校", "事业单位", "S04", ["教育培训/党课宣讲", "场地设施/会议室共享"], False),
    ("区总工会", "机关", "S02", ["便民服务/手机充电与饮水点", "资金物资", "就业创业"], False),
    ("团区委", "机关", "S02", ["志愿服务", "教育培训/课后辅导"], False),
    ("区妇女联合会", "机关", "S01", ["养老托幼/托育名额", "志愿服务"], False),
    ("区残疾人联合会", "机关", "S05", ["便民服务", "就业创业/公益性岗位"], False),
    ("公安惠农分局", "机关", "S02", ["平安建设/反诈宣传", "平安建设/禁毒宣传", "平安建设/治安巡逻"], True),
    ("区消防救援大队", "机关", "S04", ["平安建设/消防演练", "平安建设/安全隐患排查"], True),
    ("区疾病预防控制中心", "事业单位", "S01", ["医疗健康/健康知识讲座", "医疗健康/免费测血压血糖",
                                      "志愿服务"], True),
]

# resident units (驻区单位) that are not district departments: name, kind, street, categories
RESIDENT_UNITS = [
    # schools
    ("惠农区第一小学", "学校", "S01", ["教育培训/课后辅导", "场地设施/运动场地开放", "文化体育"]),
    ("惠农区第二小学", "学校", "S02", ["教育培训/家长课堂", "场地设施/运动场地开放"]),
    ("惠农区第三小学", "学校", "S04", ["教育培训/课后辅导", "文化体育/书法绘画培训", "志愿服务"]),
    ("惠农区第四小学", "学校", "S05", ["教育培训/家长课堂", "场地设施/运动场地开放"]),
    ("惠农区第五小学", "学校", "S06", ["教育培训/课后辅导", "文化体育"]),
    ("惠农区第六小学", "学校", "S02", ["教育培训", "场地设施/运动场地开放", "养老托幼/四点半课堂"]),
    ("惠农区第七小学", "学校", "S03", ["教育培训/课后辅导", "场地设施/运动场地开放"]),
    ("红果子镇中心小学", "学校", "S07", ["教育培训", "场地设施/运动场地开放"]),
    ("尾闸镇中心小学", "学校", "S08", ["教育培训/课后辅导", "文化体育"]),
    ("惠农区第一中学", "学校", "S02", ["教育培训/家长课堂", "场地设施/运动场地开放", "志愿服务"]),
    ("惠农区第二中学", "学校", "S01", ["教育培训/安全知识培训", "文化体育/全民健身指导"]),
    ("惠农区第三中学", "学校", "S04", ["教育培训", "场地设施/运动场地开放"]),
    ("惠农区实验幼儿园", "学校", "S01", ["养老托幼/托育名额", "教育培训/家长课堂"]),
    ("惠农区第二幼儿园", "学校", "S05", ["养老托幼/托育名额", "教育培训/家长课堂"]),
    ("惠农区职业技术学校", "学校", "S06", ["就业创业/职业技能培训", "教育培训/电脑技能培训",
                                    "场地设施/会议室共享"]),
    # hospitals
    ("惠农区人民医院", "医院", "S02", ["医疗健康/义诊进社区", "医疗健康/上门巡诊", "志愿服务"]),
    ("惠农区中医医院", "医院", "S01", ["医疗健康/义诊进社区", "医疗健康/健康知识讲座"]),
    ("南街社区卫生服务中心", "医院", "S01", ["医疗健康/家庭医生签约服务", "医疗健康/免费测血压血糖"]),
    ("河滨社区卫生服务中心", "医院", "S05", ["医疗健康/家庭医生签约服务", "养老托幼/上门助老服务"]),
    ("园艺镇卫生院", "医院", "S03", ["医疗健康/家庭医生签约服务", "医疗健康/上门巡诊"]),
    ("红果子镇卫生院", "医院", "S07", ["医疗健康/家庭医生签约服务", "医疗健康/免费测血压血糖"]),
    ("尾闸镇卫生院", "医院", "S08", ["医疗健康/上门巡诊", "医疗健康/健康知识讲座"]),
    ("礼和乡卫生院", "医院", "S09", ["医疗健康/家庭医生签约服务", "医疗健康/义诊进社区"]),
    # public institutions
    ("惠农区图书馆", "事业单位", "S02", ["文化体育/图书流动服务", "场地设施/活动场地开放"]),
    ("惠农区文化馆", "事业单位", "S01", ["文化体育/文艺演出进社区", "文化体育/书法绘画培训",
                                 "场地设施/活动场地开放"]),
    ("惠农区青少年活动中心", "事业单位", "S04", ["教育培训", "文化体育", "养老托幼/四点半课堂"]),
    ("惠农区社会福利院", "事业单位", "S05", ["养老托幼/日间照料床位", "养老托幼/老年助餐"]),
    ("惠农区公证处", "事业单位", "S01", ["法律服务/公证咨询服务", "法律服务/法治宣传讲座"]),
    ("惠农区供排水服务中心", "事业单位", "S06", ["物业环境/管网维修", "便民服务/便民维修"]),
    ("惠农区全民健身中心", "事业单位", "S04", ["场地设施/运动场地开放", "文化体育/全民健身指导"]),
    ("礼和乡农业技术推广站", "事业单位", "S09", ["就业创业/职业技能培训", "教育培训"]),
    # state organs resident in the district (not district departments)
    ("惠农区人民法院", "机关", "S02", ["法律服务/法治宣传讲座", "法律服务/人民调解服务"]),
    ("惠农区人民检察院", "机关", "S02", ["法律服务/法律咨询进社区", "平安建设/禁毒宣传"]),
    ("国家税务总局惠农区税务局", "机关", "S01", ["便民服务/代缴代办服务", "志愿服务"]),
    # social organisations
    ("惠农区志愿者协会", "社会组织", "S01", ["志愿服务", "志愿服务/环境清洁志愿活动", "养老托幼/上门助老服务"]),
    ("惠农区老年人协会", "社会组织", "S05", ["养老托幼/上门助老服务", "文化体育/全民健身指导"]),
    ("惠农区慈善总会", "社会组织", "S02", ["资金物资/爱心捐赠", "资金物资/困难群众慰问物资"]),
    ("惠农区红十字会", "社会组织", "S04", ["医疗健康/健康知识讲座", "资金物资/困难群众慰问物资"]),
    ("惠农区社会工作服务中心", "社会组织", "S06", ["志愿服务/结对帮扶志愿者", "养老托幼/上门助老服务"]),
    ("宁夏明正律师事务所惠农分所", "社会组织", "S04", ["法律服务/法律咨询进社区", "法律服务/法律援助"]),
    ("惠农区青年创业协会", "社会组织", "S05", ["就业创业/创业指导", "志愿服务"]),
    ("红果子镇新时代文明实践志愿服务队", "社会组织", "S07", ["志愿服务", "文化体育"]),
    # enterprises
    ("工商银行惠农支行", "企业", "S01", ["便民服务/金融知识进社区", "平安建设/反诈宣传",
                                "便民服务/手机充电与饮水点"]),
    ("农业银行惠农支行", "企业", "S02", ["便民服务/金融知识进社区", "资金物资/爱心捐赠",
                                "便民服务/手机充电与饮水点"]),
    ("建设银行惠农支行", "企业", "S04", ["便民服务/金融知识进社区", "平安建设/反诈宣传",
                                "便民服务/手机充电与饮水点"]),
    ("石嘴山农村商业银行惠农支行", "企业", "S05", ["便民服务/金融知识进社区", "资金物资",
                                      "便民服务/手机充电与饮水点"]),
    ("邮政储蓄银行惠农支行", "企业", "S06", ["便民服务/金融知识进社区", "平安建设/反诈宣传",
                                   "便民服务/手机充电与饮水点"]),
    ("国网惠农供电公司", "企业", "S02", ["便民服务/便民维修", "平安建设/安全隐患排查", "志愿服务"]),
    ("惠农区燃气有限公司", "企业", "S04", ["平安建设/安全隐患排查", "便民服务/便民维修"]),
    ("中国移动惠农分公司", "企业", "S01", ["便民服务/手机充电与饮水点", "教育培训/电脑技能培训"]),
    ("中国电信惠农分公司", "企业", "S02", ["便民服务/手机充电与饮水点", "平安建设/反诈宣传"]),
    ("惠农区邮政分公司", "企业", "S06", ["便民服务/手机充电与饮水点", "便民服务/代缴代办服务"]),
    ("惠农区顺捷快递服务有限公司", "企业", "S06", ["便民服务/手机充电与饮水点", "就业创业/招聘岗位"]),
    ("惠农区速达物流有限公司", "企业", "S07", ["就业创业/招聘岗位", "便民服务/手机充电与饮水点"]),
    ("惠农区出租汽车有限公司", "企业", "S06", ["便民服务/手机充电与饮水点", "志愿服务"]),
    ("惠农区万家惠超市", "企业", "S01", ["便民服务/手机充电与饮水点", "资金物资/困难群众慰问物资"]),
    ("惠农区新百连锁超市", "企业", "S02", ["便民服务/手机充电与饮水点", "资金物资/爱心捐赠"]),
    ("石嘴山恒达冶金有限公司", "企业", "S07", ["就业创业/招聘岗位", "资金物资/社区治理帮扶资金",
                                    "场地设施/职工食堂对外开放"]),
    ("宁夏惠泽新材料有限公司", "企业", "S07", ["就业创业/招聘岗位", "资金物资"]),
    ("石嘴山鑫源煤业有限公司", "企业", "S08", ["就业创业/招聘岗位", "资金物资/社区治理帮扶资金"]),
    ("宁夏瑞华化工有限公司", "企业", "S07", ["就业创业", "平安建设/消防演练"]),
    ("石嘴山利民建材有限公司", "企业", "S09", ["就业创业/招聘岗位", "物业环境/老旧小区环境整治"]),
    ("宁夏金河碳素有限公司", "企业", "S08", ["就业创业/招聘岗位", "场地设施/职工食堂对外开放"]),
    ("惠农区兴农种植专业合作社", "企业", "S09", ["就业创业/公益性岗位", "资金物资/爱心捐赠"]),
    ("惠农区园艺果蔬专业合作社", "企业", "S03", ["就业创业/公益性岗位", "资金物资/爱心捐赠"]),
    ("惠农区星辰物业服务有限公司", "企业", "S04", ["物业环境/楼道照明维修", "物业环境/垃圾清运"]),
    ("惠农区安居物业服务有限公司", "企业", "S02", ["物业环境/楼道照明维修", "便民服务/便民维修"]),
    ("惠农区惠民家政服务有限公司", "企业", "S05", ["养老托幼/上门助老服务", "便民服务/便民维修"]),
    ("惠农区金太阳养老服务中心", "社会组织", "S01", ["养老托幼/老年助餐", "养老托幼/日间照料床位"]),
    ("惠农区天和餐饮有限公司", "企业", "S05", ["养老托幼/老年助餐", "便民服务/手机充电与饮水点"]),
    ("惠农区康泰大药房", "企业", "S04", ["医疗健康/免费测血压血糖", "便民服务"]),
    ("石嘴山宏图建筑工程有限公司", "企业", "S06", ["物业环境/管网维修", "就业创业/招聘岗位"]),
    ("惠农区绿源环卫服务有限公司", "企业", "S05", ["物业环境/垃圾清运", "志愿服务/环境清洁志愿活动"]),
    ("惠农区博远人力资源服务有限公司", "企业", "S04", ["就业创业/招聘岗位", "就业创业/创业指导"]),
    ("惠农区新华书店", "企业", "S02", ["文化体育/图书流动服务", "教育培训"]),
]

# title, measure, keywords — per category
RESOURCE_TEMPLATES = {
    "场地设施": [("会议室共享", "间", "会议室；议事；活动"), ("活动场地开放", "处", "活动场地；广场；室内"),
             ("停车场错时开放", "处", "停车；错时共享"), ("职工食堂对外开放", "处", "食堂；就餐；助餐"),
             ("运动场地开放", "处", "操场；球场；健身")],
    "志愿服务": [("党员志愿服务队", "支", "志愿者；党员；入户"), ("周末志愿服务", "人", "志愿；周末；帮扶"),
             ("结对帮扶志愿者", "人", "结对；困难群众；走访"), ("环境清洁志愿活动", "次", "清洁；卫生；志愿")],
    "医疗健康": [("义诊进社区", "场", "义诊；体检；慢病"), ("家庭医生签约服务", "人", "家庭医生；签约；慢病"),
             ("健康知识讲座", "场", "健康；讲座；预防"), ("上门巡诊", "次", "巡诊；老人；上门"),
             ("免费测血压血糖", "次", "血压；血糖；筛查")],
    "法律服务": [("法律咨询进社区", "场", "法律咨询；纠纷"), ("人民调解服务", "次", "调解；矛盾；纠纷"),
             ("法治宣传讲座", "场", "普法；法治；宣传"), ("公证咨询服务", "次", "公证；遗嘱；继承"),
             ("法律援助", "件", "法律援助；维权；讨薪")],
    "教育培训": [("家长课堂", "期", "家庭教育；家长"), ("党课宣讲", "场", "党课；宣讲；理论"),
             ("课后辅导", "人", "课后；作业辅导；青少年"), ("电脑技能培训", "期", "电脑；智能手机；老年人"),
             ("安全知识培训", "期", "安全；培训")],
    "文化体育": [("文艺演出进社区", "场", "文艺；演出；节日"), ("图书流动服务", "批", "图书；阅读；流动书屋"),
             ("全民健身指导", "次", "健身；广场舞；指导"), ("体育器材捐赠", "批", "体育器材；健身"),
             ("书法绘画培训", "期", "书法；绘画；兴趣")],
    "就业创业": [("招聘岗位", "个", "招聘；岗位；就业"), ("创业指导", "场", "创业；指导；贷款"),
             ("职业技能培训", "期", "技能；培训；再就业"), ("公益性岗位", "个", "公益岗；托底；就业困难")],
    "养老托幼": [("老年助餐", "人", "助餐；老人；送餐"), ("日间照料床位", "张", "日间照料；老人；床位"),
             ("托育名额", "个", "托育；婴幼儿；托管"), ("四点半课堂", "期", "四点半课堂；托管；学生"),
             ("上门助老服务", "次", "助老；上门；独居老人")],
    "物业环境": [("老旧小区环境整治", "次", "环境整治；老旧小区；清运"), ("管网维修", "次", "管网；维修；下水"),
             ("绿化养护", "处", "绿化；养护"), ("垃圾清运", "车次", "垃圾；清运"),
             ("楼道照明维修", "次", "楼道灯；照明；维修")],
    "平安建设": [("禁毒宣传", "场", "禁毒；宣传；青少年"), ("反诈宣传", "场", "反诈；电信诈骗；宣传"),
             ("消防演练", "场", "消防；演练；灭火器"), ("治安巡逻", "次", "巡逻；治安；夜间"),
             ("安全隐患排查", "次", "隐患；排查；燃气")],
    "资金物资": [("困难群众慰问物资", "批", "慰问；物资；困难群众"), ("社区治理帮扶资金", "万元", "资金；帮扶"),
             ("爱心捐赠", "批", "捐赠；衣物；爱心"), ("办公设备捐赠", "批", "电脑；办公设备")],
    "便民服务": [("便民维修", "次", "维修；家电；便民"), ("免费理发", "次", "理发；老人"),
             ("金融知识进社区", "场", "金融；反假币；养老金"), ("手机充电与饮水点", "处", "充电；饮水；户外劳动者"),
             ("代缴代办服务", "次", "代办；缴费；社保")],
}

# resource titles given only where a unit's entry names them (banks, clinics, nurseries …)
RESERVED_TITLES = {"金融知识进社区", "手机充电与饮水点", "公证咨询服务", "家庭医生签约服务", "上门巡诊",
                   "托育名额", "日间照料床位", "职工食堂对外开放", "运动场地开放", "四点半课堂"}

NEED_TEMPLATES = {
    "场地设施": ["议事活动场地不足", "居民活动室借用", "老年活动场地需求", "停车位紧张需共享车位", "党员活动场地借用"],
    "志愿服务": ["独居老人陪伴志愿者", "小区文明劝导志愿者", "节日活动志愿者", "环境卫生清扫志愿者",
             "困难家庭结对帮扶"],
    "医疗健康": ["老年人健康体检", "慢病患者随访", "行动不便老人上门诊疗", "健康知识讲座", "心理健康疏导"],
    "法律服务": ["邻里纠纷调解", "农民工讨薪法律援助", "遗产继承法律咨询", "物业纠纷法律咨询", "婚姻家庭法律咨询"],
    "教育培训": ["老年人智能手机培训", "青少年课后辅导", "家庭教育讲座", "党员学习教育宣讲", "安全知识培训"],
    "文化体育": ["广场舞指导", "节日文艺演出", "社区书屋图书更新", "健身器材维修更换", "青少年暑期兴趣班"],
    "就业创业": ["失业人员就业推荐", "残疾人就业帮扶", "返乡青年创业指导", "妇女灵活就业技能培训", "高校毕业生岗位推荐"],
    "养老托幼": ["独居老人助餐", "失能老人日间照料", "双职工家庭学生托管", "婴幼儿托育", "高龄老人上门助浴"],
    "物业环境": ["楼道照明损坏维修", "下水管道堵塞疏通", "垃圾清运不及时", "老旧小区无物业管理", "绿化带杂草清理",
             "圈地种菜整治"],
    "平安建设": ["禁毒知识宣传", "防范电信诈骗宣传", "消防通道堵塞整治", "夜间治安巡逻", "电动车飞线充电整治"],
    "资金物资": ["困难家庭节日慰问", "大病家庭救助", "社区活动物资", "冬季取暖物资"],
    "便民服务": ["家电维修", "老年人理发", "户外劳动者饮水热饭", "社保代缴代办", "快递员歇脚充电"],
}

ESCALATIONS = [
    ("物业环境", "老旧小区雨污管网改造"), ("物业环境", "集中供热管网漏水抢修"),
    ("平安建设", "废弃厂房安全隐患整治"), ("平安建设", "农贸市场周边占道经营整治"),
    ("场地设施", "背街小巷路灯缺失"), ("便民服务", "公交站点增设"),
]

SURNAMES = list("王李张刘陈杨马赵黄周吴徐孙胡朱高林何郭罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡"
                "贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段"
                "雷钱汤尹黎易常武乔贺赖龚文")
GIVEN = list("华军芳娜敏静丽强磊洋艳勇杰娟涛明超秀霞平刚桂英建文辉玲燕红萍鹏宇浩斌琳晶慧颖欣雪梅兰凤"
             "峰林波宁龙飞亮海东俊成荣新春")

STATION_SERVICES = SEP.join(["免费饮水", "热饭", "手机充电", "无线网络", "远程教育电视"])
CENTRE_SERVICES = SEP.join(["政策咨询", "议事协商", "志愿服务", "便民服务", "文体活动"])
OWNERS_MEMBERS = [45, 52, 48, 59]  # 204 members
OWNERS_PARTY = [24, 28, 26, 31]  # 109 party members -> 53.43 %


# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------
def yn(b: bool) -> str:
    return "是" if b else "否"


def coord(x: float) -> str:
    return f"{x:.6f}"


def day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def masked_name(rng: random.Random) -> str:
    s = rng.choice(SURNAMES)
    return f"{s}*" if rng.random() < 0.3 else f"{s}*{rng.choice(GIVEN)}"


def split_cat(entry: str) -> tuple[str, str | None]:
    cat, _, title = entry.partition("/")
    return cat, (title or None)


# --------------------------------------------------------------------------------------
# generation
# --------------------------------------------------------------------------------------
def generate() -> dict[str, list[list[str]]]:
    """Build every table as rows of strings (header first)."""
    rng = random.Random(SEED)
    T: dict[str, list[list[str]]] = {}

    # ---- district and streets ---------------------------------------------------------
    T["district"] = [["编号", "名称", "来源"], ["D01", "惠农区", DOC]]
    street = {s[0]: s for s in STREETS}
    T["streets"] = [["编号", "名称", "类型", "所属区", "来源"]] + [
        [sid, name, kind, "D01", src] for sid, name, kind, src, *_ in STREETS]

    # ---- communities --------------------------------------------------------------------
    comms: list[dict] = []
    for sid, names in COMMUNITIES.items():
        _, _, _, _, slat, slon, urban = street[sid]
        for name in names:
            cid = f"C{len(comms) + 1:03d}"
            comms.append({"id": cid, "name": name, "street": sid, "urban": urban,
                          "lat": slat + rng.uniform(-0.012, 0.012),
                          "lon": slon + rng.uniform(-0.012, 0.012)})
    comm = {c["id"]: c for c in comms}
    comms_of_street: dict[str, list[str]] = defaultdict(list)
    for c in comms:
        comms_of_street[c["street"]].append(c["id"])
    T["communities"] = [["编号", "名称", "所属街道", "来源"]] + [
        [c["id"], c["name"],
         street[c["street"]][1] if c["name"] in BY_NAME_COMMUNITIES else c["street"],
         DOC if c["name"] in DOC_COMMUNITIES else SYN] for c in comms]

    # ---- grids: 202 over 40 communities, every community >= 2 ---------------------------
    ngrids = {c["id"]: 2 for c in comms}
    weights = [1.0 if c["urban"] else 0.35 for c in comms]
    for _ in range(202 - 2 * len(comms)):
        ngrids[rng.choices([c["id"] for c in comms], weights)[0]] += 1
    grids: list[dict] = []
    grids_of: dict[str, list[str]] = defaultdict(list)
    for c in comms:
        for k in range(1, ngrids[c["id"]] + 1):
            gid = f"G{len(grids) + 1:04d}"
            grids.append({"id": gid, "name": f"{c['name']}第{k}网格", "community": c["id"],
                          "lat": c["lat"] + rng.uniform(-0.004, 0.004),
                          "lon": c["lon"] + rng.uniform(-0.004, 0.004)})
            grids_of[c["id"]].append(gid)
    grid = {g["id"]: g for g in grids}
    T["grids"] = [["编号", "名称", "所属社区", "纬度", "经度", "来源"]] + [
        [g["id"], g["name"], g["community"], coord(g["lat"]), coord(g["lon"]), SYN] for g in grids]

    # ---- compounds: one to three per grid ----------------------------------------------
    pool = [p + s for p in COMPOUND_PREFIX for s in COMPOUND_SUFFIX]
    rng.shuffle(pool)
    compounds: list[dict] = []
    compounds_of: dict[str, list[str]] = defaultdict(list)
    for g in grids:
        for _ in range(rng.choice((1, 1, 2, 2, 2, 3))):
            cpid = f"CP{len(compounds) + 1:04d}"
            compounds.append({"id": cpid, "name": pool.pop(), "grid": g["id"],
                              "households": rng.randint(60, 600)})
            compounds_of[g["id"]].append(cpid)
    compound = {cp["id"]: cp for cp in compounds}
    T["compounds"] = [["编号", "名称", "所属网格", "户数", "来源"]] + [
        [cp["id"], cp["name"], cp["grid"], str(cp["households"]), SYN] for cp in compounds]

    # ---- party organisations --------------------------------------------------------------
    po: list[list[str]] = [["编号", "名称", "层级", "上级组织", "负责范围", "来源"]]
    po.append(["PO-DC01", "中共石嘴山市惠农区委员会", "区委", "", "D01", DOC])
    wc_of: dict[str, str] = {}
    for i, (sid, name, kind, src, *_rest) in enumerate(STREETS, start=1):
        wid = f"PO-WC{i:02d}"
        wc_of[sid] = wid
        suffix = "党工委" if kind == "街道" else "党委"
        po.append([wid, f"中共{name}{suffix}", "街道党工委", "PO-DC01", sid, src])
    cc_of: dict[str, str] = {}
    for i, c in enumerate(comms, start=1):
        ccid = f"PO-CC{i:03d}"
        cc_of[c["id"]] = ccid
        small = ngrids[c["id"]] <= 3 and not c["urban"]
        name = f"{c['name']}{'党总支' if small else '党委'}"
        po.append([ccid, name, "社区党委", wc_of[c["street"]], c["id"],
                   DOC if c["name"] == "春晖社区" else SYN])
    # 38 grid branches: one in each of 38 communities (two small rural ones have none)
    no_branch = set(rng.sample([c["id"] for c in comms if not c["urban"]], 2))
    branch_of_grid: dict[str, str] = {}
    branches: list[str] = []
    for c in comms:
        if c["id"] in no_branch:
            continue
        gs = list(grids_of[c["id"]])
        if len(gs) >= 6 and rng.random() < 0.5:
            gs = gs[:-1]  # the last grid stays directly under the community committee
        bid = f"PO-GB{len(branches) + 1:02d}"
        branches.append(bid)
        for g in gs:
            branch_of_grid[g] = bid
        po.append([bid, f"{c['name']}网格党支部", "网格党支部", cc_of[c["id"]], SEP.join(gs), SYN])
    # 244 grid party groups: one per grid, a second one in 42 larger grids
    big = sorted(grids, key=lambda g: -len(compounds_of[g["id"]]))[:120]
    second_ids = set(rng.sample([g["id"] for g in big], 42))
    group_of_grid: dict[str, str] = {}
    ngroups = 0
    for g in grids:
        parent = branch_of_grid.get(g["id"]) or cc_of[g["community"]]
        for k in range(2 if g["id"] in second_ids else 1):
            ngroups += 1
            pgid = f"PO-PG{ngroups:03d}"
            group_of_grid.setdefault(g["id"], pgid)
            name = f"{g['name']}党小组" if k == 0 else f"{g['name']}第二党小组"
            po.append([pgid, name, "网格党小组", parent, g["id"], SYN])
    # courtyard groups (about one compound in three) and central households
    yard_groups: list[tuple[str, str]] = []  # (group id, compound id)
    for cp in compounds:
        if rng.random() < 0.33:
            yid = f"PO-YG{len(yard_groups) + 1:03d}"
            yard_groups.append((yid, cp["id"]))
            po.append([yid, f"{cp['name']}党小组", "院落党小组", group_of_grid[cp["grid"]], cp["id"], SYN])
    households: set[str] = set()

    def household(cpid: str) -> str:
        while True:
            name = (f"{compound[cpid]['name']}{rng.randint(1, 12)}号楼{rng.randint(1, 4)}单元"
                    "党员中心户")
            if name not in households:
                households.add(name)
                return name

    nch = 0
    for yid, cpid in yard_groups:
        for _ in range(rng.choice((0, 1, 1, 2))):
            nch += 1
            po.append([f"PO-CH{nch:03d}", household(cpid), "党员中心户", yid, cpid, SYN])
    for gid in rng.sample([g["id"] for g in grids], 30):
        nch += 1
        cpid = rng.choice(compounds_of[gid])
        po.append([f"PO-CH{nch:03d}", household(cpid), "党员中心户", group_of_grid[gid], cpid, SYN])
    T["party_orgs"] = po

    # ---- units -----------------------------------------------------------------------------
    units: list[dict] = []
    for name, kind, sid, cats, both in DEPARTMENTS:
        units.append({"id": f"U{len(units) + 1:03d}", "name": name, "kind": kind, "street": sid,
                      "cats": cats, "dept": True, "res": both})
    for name, kind, sid, cats in RESIDENT_UNITS:
        units.append({"id": f"U{len(units) + 1:03d}", "name": name, "kind": kind, "street": sid,
                      "cats": cats, "dept": False, "res": True})
    unit = {u["id"]: u for u in units}
    depts = [u for u in units if u["dept"]]
    residents = [u for u in units if u["res"]]
    for u in units:
        u["legal"] = any(split_cat(c)[0] == "法律服务" for c in u["cats"])
        if u["legal"]:
            assert u["street"] in LEGAL_STREETS, u["name"]
    no_coords = set(rng.sample([u["id"] for u in residents if u["kind"] in ("社会组织", "企业")], 8))
    rows = [["编号", "单位名称", "单位类型", "是否区直部门", "是否驻区单位", "所在街道", "纬度", "经度", "来源"]]
    for u in units:
        _, _, _, _, slat, slon, _ = street[u["street"]]
        if u["id"] in no_coords:
            lat = lon = ""
        else:
            lat = coord(slat + rng.uniform(-0.01, 0.01))
            lon = coord(slon + rng.uniform(-0.01, 0.01))
        rows.append([u["id"], u["name"], u["kind"], yn(u["dept"]), yn(u["res"]), u["street"], lat, lon, SYN])
    T["units"] = rows

    # ---- agreements (一书): every resident unit with >= 1 community of its street ---------
    agreements: list[tuple[str, str]] = []  # (unit id, community id)
    for sid in street:
        local = [u for u in residents if u["street"] == sid]
        rng.shuffle(local)
        cs = comms_of_street[sid]
        assert len(local) >= len(cs), sid
        for i, u in enumerate(local):
            agreements.append((u["id"], cs[i] if i < len(cs) else rng.choice(cs)))
    twice = rng.sample(residents, 15)
    for u in twice:
        first = next(c for uu, c in agreements if uu == u["id"])
        others = [c for c in comms_of_street[u["street"]] if c != first]
        agreements.append((u["id"], rng.choice(others)))
    agreements.sort(key=lambda a: (a[0], a[1]))
    cobuild: dict[str, list[str]] = defaultdict(list)  # unit -> communities
    cobuilders: dict[str, list[str]] = defaultdict(list)  # community -> units
    rows = [["编号", "单位", "社区", "签订日期", "来源"]]
    for i, (uid, cid) in enumerate(agreements, start=1):
        cobuild[uid].append(cid)
        cobuilders[cid].append(uid)
        signed = day(rng, dt.date(2023, 3, 1), dt.date(2024, 6, 30))
        rows.append([f"A{i:03d}", uid, cid, signed.isoformat(), SYN])
    T["agreements"] = rows

    # ---- resources (共治资源清单) ----------------------------------------------------------
    resources: list[dict] = []
    res_of: dict[str, list[dict]] = defaultdict(list)
    for u in units:
        lo, hi = (2, 4) if u["res"] else (1, 3)
        entries = list(u["cats"])
        n = min(len(entries), rng.randint(lo, hi)) if len(entries) >= lo else len(entries)
        chosen = entries[:max(n, 1)]
        while len(chosen) < lo and u["res"]:  # pad resident units to at least two entries
            chosen.append(rng.choice(["志愿服务", "便民服务", "场地设施/会议室共享"]))
        used_titles: set[str] = set()
        for entry in chosen:
            cat, title = split_cat(entry)
            options = [t for t in RESOURCE_TEMPLATES[cat] if t[0] not in used_titles]
            tpl = next((t for t in options if t[0] == title), None) if title else None
            if tpl is None:  # free choice: not the titles that only fit particular units
                tpl = rng.choice([t for t in options if t[0] not in RESERVED_TITLES])
            used_titles.add(tpl[0])
            if cat in SHORT_CATEGORIES:
                cap = rng.randint(1, 3)
            elif cat == "法律服务":
                cap = rng.randint(2, 8)
            else:
                cap = rng.randint(3, 20)
            r = {"id": f"R{len(resources) + 1:04d}", "unit": u["id"], "title": tpl[0], "cat": cat,
                 "cap": cap, "measure": tpl[1], "kw": tpl[2]}
            resources.append(r)
            res_of[u["id"]].append(r)
    T["resources"] = [["编号", "提供单位", "资源名称", "类别", "数量", "计量单位", "关键词", "来源"]] + [
        [r["id"], r["unit"], r["title"], r["cat"], str(r["cap"]), r["measure"], r["kw"], SYN]
        for r in resources]

    # ---- cadres (双报到) ------------------------------------------------------------------
    legal_comms = [c["id"] for c in comms if c["street"] in LEGAL_STREETS]
    all_comm_ids = [c["id"] for c in comms]
    cweights = [1.0 if c["urban"] else 0.45 for c in comms]
    legal_weights = [cweights[all_comm_ids.index(c)] for c in legal_comms]
    dept_sizes = [rng.randint(22, 45) for _ in depts]
    target_dept = 1518
    while sum(dept_sizes) != target_dept:  # spread the difference deterministically
        i = rng.randrange(len(dept_sizes))
        if sum(dept_sizes) < target_dept:
            dept_sizes[i] += 1
        elif dept_sizes[i] > 22:
            dept_sizes[i] -= 1
    staff: list[tuple[str, bool]] = []  # (unit id, party member)
    for u, n in zip(depts, dept_sizes):
        staff += [(u["id"], True)] * n
    non_members = set(rng.sample(range(len(staff)), 12))
    staff = [(uid, i not in non_members) for i, (uid, _) in enumerate(staff)]
    res_staff_units = rng.sample([u for u in residents if not u["dept"]], 24)
    res_staff_units.sort(key=lambda u: u["id"])
    extra = 94
    for j, u in enumerate(res_staff_units):
        n = extra // len(res_staff_units) + (1 if j < extra % len(res_staff_units) else 0)
        staff += [(u["id"], rng.random() < 0.8) for _ in range(n)]
    cadres: list[dict] = []
    cadres_at: dict[str, list[dict]] = defaultdict(list)
    for k, (uid, member) in enumerate(staff):
        if unit[uid]["legal"]:
            cid = rng.choices(legal_comms, legal_weights)[0]
        elif k < len(all_comm_ids):  # first ones: one per community, so none is left out
            cid = all_comm_ids[k]
        else:
            cid = rng.choices(all_comm_ids, cweights)[0]
        cd = {"id": f"K{len(cadres) + 1:04d}", "name": masked_name(rng), "unit": uid,
              "community": cid, "member": member}
        cadres.append(cd)
        cadres_at[cid].append(cd)
    T["cadres"] = [["编号", "姓名", "所在单位", "报到社区", "是否党员", "来源"]] + [
        [cd["id"], cd["name"], cd["unit"], cd["community"], yn(cd["member"]), SYN] for cd in cadres]

    # ---- memberships (大工委 / 联合党委 / branch) --------------------------------------------
    members: list[tuple[str, str]] = []
    for u in units:  # 大工委: every unit is a member of its own street's working committee
        if u["res"]:
            members.append((u["id"], wc_of[u["street"]]))
    plain = [u for u in depts if not u["res"] and not u["legal"]]
    for i, u in enumerate(plain):  # each other department is paired with one street
        sid = STREETS[i % len(STREETS)][0]
        members.append((u["id"], wc_of[sid]))
    for u in depts:
        if u["legal"] and not u["res"]:
            members.append((u["id"], wc_of[u["street"]]))
    for uid, cid in agreements:  # 联合党委: co-building units
        members.append((uid, cc_of[cid]))
    branch_of_comm = {}
    for g, b in branch_of_grid.items():
        branch_of_comm.setdefault(grid[g]["community"], b)
    nb = 0
    for uid, cid in rng.sample(agreements, len(agreements)):
        if nb >= 14:
            break
        if cid in branch_of_comm:
            members.append((uid, branch_of_comm[cid]))
            nb += 1
    members = sorted(set(members))
    T["memberships"] = [["单位", "组织", "来源"]] + [[u, o, SYN] for u, o in members]

    # ---- needs (治理需求清单) -------------------------------------------------------------
    needs: list[dict] = []

    def grid_place(gid: str) -> str:
        return compound[rng.choice(compounds_of[gid])]["name"]

    def new_need(cat: str, cid: str, status: str, *, at_grid: bool | None = None,
                 scope: str | None = None, title: str | None = None,
                 when: tuple[dt.date, dt.date]) -> dict:
        if at_grid is None:
            at_grid = rng.random() < 0.82
        base = title or rng.choice(NEED_TEMPLATES[cat])
        if at_grid:
            gid = rng.choice(grids_of[cid])
            raised, place = gid, grid_place(gid)
        else:
            raised, place = cid, comm[cid]["name"]
        if scope is None:
            x = rng.random()
            scope = "网格" if (at_grid and x < 0.28) else ("街道" if x > 0.88 else "社区")
        urg = rng.choices(["一般", "较急", "紧急"], [60, 28, 12])[0]
        n = {"title": f"{place}{base}", "cat": cat, "qty": rng.randint(1, 5), "raised": raised,
             "community": cid, "urgency": urg, "date": day(rng, *when), "status": status,
             "scope": scope, "handler": "", "report": "", "seq": len(needs)}
        needs.append(n)
        return n

    y2024 = (dt.date(2024, 1, 2), dt.date(2024, 11, 30))
    y2025 = (dt.date(2025, 1, 2), dt.date(2025, 3, 31))

    def close(n: dict, prefer_unit: str | None = None) -> None:
        here = cadres_at[n["community"]]
        own = [cd for cd in here if cd["unit"] == prefer_unit] if prefer_unit else []
        cd = rng.choice(own or here)
        done_on = n["date"] + dt.timedelta(days=rng.randint(1, 25))
        n["handler"] = cd["id"]
        n["report"] = (f"{done_on.isoformat()}办结：{unit[cd['unit']]['name']}报到干部{cd['name']}"
                       f"牵头协调解决，已向所在单位和{comm[n['community']]['name']}党组织双报告。")

    projects: list[dict] = []
    # one completed project per resident unit (plus one more for units with a second agreement)
    for u in residents:
        for j, cid in enumerate(cobuild[u["id"]]):
            if j > 0 and rng.random() < 0.5:
                continue
            rs = [r for r in res_of[u["id"]] if r["cat"] not in SHORT_CATEGORIES] or res_of[u["id"]]
            r = rng.choice(rs)
            n = new_need(r["cat"], cid, "已办结", when=y2024)
            close(n, prefer_unit=u["id"])
            projects.append({"unit": u["id"], "community": cid, "need": n, "res": r,
                             "title": f"{u['name']}“{r['title']}”进{comm[cid]['name']}", "status": "已完成"})
    # the document's photos: 春晖社区 anti-drug / anti-fraud education, 星火社区 bench meeting
    chunhui = next(c["id"] for c in comms if c["name"] == "春晖社区")
    xinghuo = next(c["id"] for c in comms if c["name"] == "星火社区")
    qiaodong = next(c["id"] for c in comms if c["name"] == "桥东社区")
    police = next(u["id"] for u in units if u["name"] == "公安惠农分局")
    n = new_need("平安建设", chunhui, "已办结", at_grid=False, scope="社区",
                 title="禁毒、反诈知识宣传教育", when=y2024)
    close(n, prefer_unit=police)
    n = new_need("场地设施", xinghuo, "已办结", at_grid=False, scope="社区", title="板凳议事会场地", when=y2024)
    close(n)
    # the remaining handled matters, spread over all communities
    cat_weights = [8, 12, 10, 5, 9, 9, 8, 10, 12, 8, 5, 8]
    while sum(1 for n in needs if n["status"] == "已办结") < 660:
        cid = rng.choices(all_comm_ids, cweights)[0]
        n = new_need(rng.choices(CATEGORIES, cat_weights)[0], cid, "已办结", when=y2024)
        close(n)

    # dispatched (已派单): a co-building unit's resource has been assigned, project under way
    for u in rng.sample([u for u in residents if not u["legal"]], 8):
        cid = cobuild[u["id"]][0]
        rs = [r for r in res_of[u["id"]] if r["cat"] not in SHORT_CATEGORIES] or res_of[u["id"]]
        r = rng.choice(rs)
        n = new_need(r["cat"], cid, "已派单", when=(dt.date(2024, 12, 1), dt.date(2025, 2, 28)))
        projects.append({"unit": u["id"], "community": cid, "need": n, "res": r,
                         "title": f"{u['name']}“{r['title']}”进{comm[cid]['name']}", "status": "实施中"})
    # escalated (已吹哨): the street blows the whistle, departments report for duty
    for cat, title in ESCALATIONS:
        cid = rng.choice(all_comm_ids)
        new_need(cat, cid, "已吹哨", at_grid=False, scope="街道", title=title,
                 when=(dt.date(2024, 12, 1), dt.date(2025, 3, 15)))

    # open needs (待接单 / 已接单): 300
    open_plan: list[tuple[str, str]] = []  # (category, community)
    lacking = [c["id"] for c in comms if c["street"] in NO_LEGAL_STREETS]
    for cid in rng.sample(lacking, 6):  # legal needs where no legal provider is in reach
        open_plan.append(("法律服务", cid))
    for _ in range(12):
        open_plan.append(("法律服务", rng.choices(legal_comms, legal_weights)[0]))
    for _ in range(46):
        open_plan.append(("养老托幼", rng.choices(all_comm_ids, cweights)[0]))
    for _ in range(42):
        open_plan.append(("物业环境", rng.choices(all_comm_ids, cweights)[0]))
    open_plan.append(("物业环境", qiaodong))  # 桥东社区: fenced vegetable plots
    others = [c for c in CATEGORIES if c not in SHORT_CATEGORIES and c != "法律服务"]
    while len(open_plan) < 300:
        open_plan.append((rng.choice(others), rng.choices(all_comm_ids, cweights)[0]))
    for i, (cat, cid) in enumerate(open_plan):
        status = "待接单" if rng.random() < 0.55 else "已接单"
        if i < 6:  # the legal needs in streets without a legal provider: community-level matters
            new_need(cat, cid, status, at_grid=True, scope=rng.choice(["社区", "街道"]), when=y2025)
        elif cid == qiaodong and cat == "物业环境" and i == 6 + 12 + 46 + 42:
            new_need(cat, cid, status, at_grid=False, scope="社区", title="圈地种菜整治", when=y2025)
        else:
            new_need(cat, cid, status, when=y2025)

    # number the needs by date (stable), then write
    needs.sort(key=lambda n: (n["date"], n["seq"]))
    for i, n in enumerate(needs, start=1):
        n["id"] = f"N{i:04d}"
    T["needs"] = [["编号", "需求名称", "类别", "数量", "提出网格或社区", "紧急程度", "提出日期", "状态", "范围",
                   "办理干部", "办结报告", "来源"]] + [
        [n["id"], n["title"], n["cat"], str(n["qty"]), n["raised"], n["urgency"], n["date"].isoformat(),
         n["status"], n["scope"], n["handler"], n["report"], SYN] for n in needs]

    # ---- projects (服务项目清单) ------------------------------------------------------------
    projects.sort(key=lambda p: (p["unit"], p["need"]["id"]))
    T["projects"] = [["编号", "单位", "社区", "需求", "资源", "项目名称", "状态", "来源"]] + [
        [f"P{i:03d}", p["unit"], p["community"], p["need"]["id"], p["res"]["id"], p["title"], p["status"], SYN]
        for i, p in enumerate(projects, start=1)]

    # ---- stations ---------------------------------------------------------------------------
    # 服务人次 (synthetic, from a formula so the random stream is untouched): the 25 stations
    # together served "1,000余人次"; the street centres' figure is not given (blank)
    rows = [["编号", "名称", "类型", "所在社区", "运营单位", "服务项目", "服务人次", "来源"]]
    union = next(u["id"] for u in units if u["name"] == "区总工会")
    taxi = next(u["id"] for u in units if u["name"] == "惠农区出租汽车有限公司")
    operator_kinds = ("企业", "事业单位", "医院")
    urban_comms = [c["id"] for c in comms if c["urban"]]
    rural_comms = [c["id"] for c in comms if not c["urban"]]
    warm = sorted(rng.sample(urban_comms, 20) + rng.sample(rural_comms, 4))
    sid_n = 0
    for cid in warm:
        ops = [u for u in cobuilders[cid] if unit[u]["kind"] in operator_kinds and not unit[u]["legal"]]
        op = rng.choice(ops) if ops else union
        sid_n += 1
        rows.append([f"ST{sid_n:02d}", f"{comm[cid]['name']}暖“新”驿站", "暖新驿站", cid, op, STATION_SERVICES,
                     str(30 + (sid_n * 7) % 19), SYN])
    taxi_comm = cobuild[taxi][0]
    sid_n += 1
    rows.append([f"ST{sid_n:02d}", "惠农区司机之家", "司机之家", taxi_comm, taxi, STATION_SERVICES, "120", SYN])
    for sid, name, *_ in STREETS:
        sid_n += 1
        rows.append([f"ST{sid_n:02d}", f"{name}党群服务中心", "党群服务中心", comms_of_street[sid][0], "",
                     CENTRE_SERVICES, "", SYN])
    T["stations"] = rows

    # ---- property (四位一体) ----------------------------------------------------------------
    rows = [["编号", "名称", "类型", "所在社区", "成员数", "党员数", "来源"]]
    k = 0
    for c in comms:
        k += 1
        m = rng.randint(5, 9)
        rows.append([f"PR{k:03d}", f"{c['name']}居民委员会", "居委会", c["id"], str(m),
                     str(rng.randint(2, m - 1)), SYN])
    owner_comms = sorted(rng.sample(urban_comms, 4))
    for cid, m, p in zip(owner_comms, OWNERS_MEMBERS, OWNERS_PARTY):
        k += 1
        cpid = rng.choice([cp for g in grids_of[cid] for cp in compounds_of[g]])
        rows.append([f"PR{k:03d}", f"{compound[cpid]['name']}业主委员会", "业委会", cid, str(m), str(p), DOC])
    pm_names = ["鑫盛", "宁泰", "恒通", "锦程", "德润", "华安", "众和", "嘉禾", "佳美", "泰丰", "润泽", "诚信",
                "永盛", "康居"]
    for name, cid in zip(pm_names, sorted(rng.sample(urban_comms, len(pm_names)))):
        k += 1
        m = rng.randint(12, 60)
        rows.append([f"PR{k:03d}", f"惠农区{name}物业服务有限公司", "物业公司", cid, str(m),
                     str(rng.randint(1, 8)), SYN])
    T["property"] = rows

    T.update(training_tables(units, comms))
    check(T)
    return T


# --------------------------------------------------------------------------------------
# community workers: training classes and the work cycle 四点一线
# --------------------------------------------------------------------------------------
THEMED_CLASSES = 19  # "近20期主题培训": nearly 20, so 19
THEMED_PERSON_TIMES = 1136  # "1100余人次"
EXAM_PERSON_TIMES = [206, 218, 193, 211]  # "4期考前专家辅导培训班，800余人次": 828
THEMED_TITLES = [
    "社区党组织书记履职能力提升培训", "网格员业务能力培训", "“居民点单—网格接单—党组织派单”工作流程培训",
    "物业党建联建专题培训", "社区工作者干事创业激励机制解读", "基层治理法治能力培训",
    "社会工作者线上专题培训（第一期）", "社会工作者线上专题培训（第二期）", "社区矛盾纠纷调解实务培训",
    "“一书三单”共驻共建工作培训", "新就业群体党建工作培训", "社区养老服务实务培训",
    "禁毒反诈宣传骨干培训", "社区应急管理与安全培训", "居民议事协商（板凳议事会）培训",
    "社区财务与档案管理培训", "党员中心户业务培训", "智慧社区平台操作培训", "社区工作者心理调适培训",
]
STAGE_SEASONS = [  # stage (as the list writes it), first and last day in the year, note
    ("年初抓计划", (1, 8), (2, 29), "制定年度党建工作计划，明确社区党组织书记任务清单"),
    ("年中抓自查", (6, 3), (7, 31), "对照年度计划开展年中自查，形成自查报告"),
    ("平时抓指导", (3, 4), (11, 29), "区委组织部到社区督导，现场指导基层党建工作"),
    ("年底抓述职", (12, 2), (12, 31), "社区党组织书记抓基层党建工作述职评议"),
]
CYCLE_YEAR = 2024


def training_tables(units: list[dict], comms: list[dict]) -> dict[str, list[list[str]]]:
    """The training classes (培训) and the 2024 work cycle (四点一线) of every community; a
    separate seed, so the other tables do not move when these change."""
    rng = random.Random(SEED + 13)
    uid = {u["name"]: u["id"] for u in units}
    organisers = [uid["区委组织部"], uid["区民政局"], uid["区委党校"], "PO-WC01", "PO-WC02", "中共园艺镇党委"]
    exam_organisers = [uid["区委组织部"], uid["区人力资源和社会保障局"], "区委党校", uid["区委组织部"]]
    # person-times of the themed classes: 45..75 each, the last one evens the total out
    themed = [rng.randint(45, 75) for _ in range(THEMED_CLASSES - 1)]
    themed.append(THEMED_PERSON_TIMES - sum(themed))
    assert 30 <= themed[-1] <= 100, themed
    rows = [["编号", "班次名称", "类型", "日期", "人次", "主办单位", "来源"]]
    days = sorted(day(rng, dt.date(2024, 2, 20), dt.date(2024, 11, 30)) for _ in themed)
    for i, (title, when, n) in enumerate(zip(THEMED_TITLES, days, themed), start=1):
        rows.append([f"TR{i:02d}", title, "主题培训", when.isoformat(), str(n), rng.choice(organisers), SYN])
    exam_days = [dt.date(2024, 8, 3), dt.date(2024, 8, 17), dt.date(2024, 9, 7), dt.date(2024, 9, 21)]
    for i, (when, n, org) in enumerate(zip(exam_days, EXAM_PERSON_TIMES, exam_organisers), start=1):
        rows.append([f"TR{THEMED_CLASSES + i:02d}", f"社区工作者职业水平考试考前专家辅导班（第{i}期）", "考前培训",
                     when.isoformat(), str(n), org, SYN])
    cycle = [["编号", "社区", "年度", "环节", "日期", "备注", "来源"]]
    for c in comms:
        for k, (stage, first, last, note) in enumerate(STAGE_SEASONS, start=1):
            when = day(rng, dt.date(CYCLE_YEAR, *first), dt.date(CYCLE_YEAR, *last))
            cycle.append([f"WS-{c['id']}-{CYCLE_YEAR}-{k}", c["id"], str(CYCLE_YEAR), stage, when.isoformat(),
                          note, SYN])
    return {"trainings": rows, "work_cycle": cycle}


def check_training(T: dict[str, list[list[str]]]) -> None:
    """The document's training figures and one full 四点一线 cycle per community."""
    trainings = _rows(T, "trainings")
    themed = [int(t["人次"]) for t in trainings if t["类型"] == "主题培训"]
    exam = [int(t["人次"]) for t in trainings if t["类型"] == "考前培训"]
    assert len(themed) in (19, 20) and 1100 <= sum(themed) <= 1199, (len(themed), sum(themed))
    assert len(exam) == 4 and 800 <= sum(exam) <= 899, sum(exam)
    cycle = _rows(T, "work_cycle")
    comm_ids = {c["编号"] for c in _rows(T, "communities")}
    seen = Counter((w["社区"], w["年度"], w["环节"]) for w in cycle)
    assert len(cycle) == 4 * len(comm_ids) and set(seen.values()) == {1}
    assert {w["社区"] for w in cycle} == comm_ids
    for w in cycle:
        _, first, last, _ = next(s for s in STAGE_SEASONS if s[0] == w["环节"])
        assert dt.date(CYCLE_YEAR, *first).isoformat() <= w["日期"] <= dt.date(CYCLE_YEAR, *last).isoformat()


# --------------------------------------------------------------------------------------
# self-check: the document's figures and referential integrity
# --------------------------------------------------------------------------------------
def _rows(T: dict, name: str) -> list[dict[str, str]]:
    header, *body = T[name]
    return [dict(zip(header, r)) for r in body]


def check(T: dict[str, list[list[str]]]) -> None:
    for name, rows in T.items():
        width = len(rows[0])
        assert all(len(r) == width for r in rows), name
    streets = _rows(T, "streets")
    comms = _rows(T, "communities")
    grids = _rows(T, "grids")
    compounds = _rows(T, "compounds")
    po = _rows(T, "party_orgs")
    units = _rows(T, "units")
    agreements = _rows(T, "agreements")
    resources = _rows(T, "resources")
    needs = _rows(T, "needs")
    projects = _rows(T, "projects")
    members = _rows(T, "memberships")
    cadres = _rows(T, "cadres")
    stations = _rows(T, "stations")
    prop = _rows(T, "property")

    # ids unique across the whole dataset
    ids = [r["编号"] for name in T if name != "memberships" for r in _rows(T, name)]
    dup = [i for i, n in Counter(ids).items() if n > 1]
    assert not dup, dup

    street_by = {s["编号"]: s for s in streets} | {s["名称"]: s for s in streets}
    comm_ids = {c["编号"] for c in comms}
    assert len(comms) == 40
    assert all(c["所属街道"] in street_by for c in comms)
    by_name = [c for c in comms if c["所属街道"] not in {s["编号"] for s in streets}]
    assert 3 <= len(by_name) <= 8, len(by_name)
    named = {c["名称"]: street_by[c["所属街道"]]["名称"] for c in comms}
    assert named["春晖社区"] == "南街街道" and named["星火社区"] == "北街（中街）街道" and named["桥东社区"] == "园艺镇"

    assert len(grids) == 202
    per_comm = Counter(g["所属社区"] for g in grids)
    assert set(per_comm) == comm_ids and min(per_comm.values()) >= 2
    for g in grids:
        assert abs(float(g["纬度"]) - CENTRE[0]) < 0.1 and abs(float(g["经度"]) - CENTRE[1]) < 0.1
    grid_comm = {g["编号"]: g["所属社区"] for g in grids}
    per_grid = Counter(cp["所属网格"] for cp in compounds)
    assert set(per_grid) == set(grid_comm) and max(per_grid.values()) <= 3

    levels = Counter(o["层级"] for o in po)
    assert levels["区委"] == 1 and levels["街道党工委"] == len(streets) and levels["社区党委"] == 40
    assert levels["网格党支部"] == 38 and levels["网格党小组"] == 244
    assert levels["院落党小组"] > 0 and levels["党员中心户"] > 0
    po_ids = {o["编号"] for o in po}
    assert all(o["上级组织"] in po_ids for o in po if o["层级"] != "区委")
    covered = set()
    for o in po:
        if o["层级"] == "网格党支部":
            gs = o["负责范围"].split(SEP)
            assert len(gs) >= 2 and len({grid_comm[g] for g in gs}) == 1, o
            covered.add(grid_comm[gs[0]])
    assert len(covered) == 38
    assert all(o["负责范围"] in grid_comm for o in po if o["层级"] == "网格党小组")

    dept = [u for u in units if u["是否区直部门"] == "是"]
    res = [u for u in units if u["是否驻区单位"] == "是"]
    assert len(dept) == 45 and len(res) == 78
    both = [u for u in dept if u["是否驻区单位"] == "是"]
    assert 0 <= len(both) <= 5
    assert len({u["单位名称"] for u in units}) == len(units)
    unit_ids = {u["编号"] for u in units}
    res_ids = {u["编号"] for u in res}
    assert {a["单位"] for a in agreements} == res_ids
    assert {a["社区"] for a in agreements} == comm_ids
    assert all("2023-01-01" <= a["签订日期"] <= "2024-12-31" for a in agreements)

    per_unit = Counter(r["提供单位"] for r in resources)
    for u in units:
        n = per_unit[u["编号"]]
        assert (2 <= n <= 4) if u["是否驻区单位"] == "是" else (1 <= n <= 3), (u, n)
    assert all(r["类别"] in CATEGORIES and 1 <= int(r["数量"]) <= 20 for r in resources)

    assert len(cadres) >= 1500
    dept_ids = {u["编号"] for u in dept}
    assert sum(1 for c in cadres if c["所在单位"] in dept_ids and c["是否党员"] == "是") >= 1500
    assert {c["报到社区"] for c in cadres} == comm_ids
    assert all(c["所在单位"] in unit_ids for c in cadres)
    cadre_comm = {c["编号"]: c["报到社区"] for c in cadres}

    status = Counter(n["状态"] for n in needs)
    assert status["已办结"] == 660
    assert 280 <= status["待接单"] + status["已接单"] <= 320
    assert status["已派单"] > 0 and status["已吹哨"] > 0
    need_comm = {}
    for n in needs:
        assert n["类别"] in CATEGORIES and 1 <= int(n["数量"]) <= 5
        assert n["紧急程度"] in ("一般", "较急", "紧急") and n["范围"] in ("网格", "社区", "街道")
        raised = n["提出网格或社区"]
        assert raised in grid_comm or raised in comm_ids
        need_comm[n["编号"]] = grid_comm.get(raised, raised)
        if n["状态"] == "已办结":
            assert n["办理干部"] in cadre_comm and n["办结报告"]
            assert cadre_comm[n["办理干部"]] == need_comm[n["编号"]]
        else:
            assert not n["办理干部"] and not n["办结报告"]

    # shortfalls: open demand exceeds supply in the short categories …
    open_needs = [n for n in needs if n["状态"] in ("待接单", "已接单")]
    demand = Counter()
    for n in open_needs:
        demand[n["类别"]] += int(n["数量"])
    supply = Counter()
    for r in resources:
        supply[r["类别"]] += int(r["数量"])
    for cat in SHORT_CATEGORIES:
        assert demand[cat] > supply[cat], (cat, demand[cat], supply[cat])
    # … and some streets have no legal provider within their linkage reach at all
    unit_street = {u["编号"]: u["所在街道"] for u in units}
    comm_street = {c["编号"]: street_by[c["所属街道"]]["编号"] for c in comms}
    org_street = {}
    for o in po:
        rf = o["负责范围"].split(SEP)[0]
        if rf in comm_street:
            org_street[o["编号"]] = comm_street[rf]
        elif rf in grid_comm:
            org_street[o["编号"]] = comm_street[grid_comm[rf]]
        elif rf in street_by:
            org_street[o["编号"]] = rf
    reach: dict[str, set[str]] = defaultdict(set)  # street -> units linked into it
    for uid, sid in unit_street.items():
        reach[sid].add(uid)
    for a in agreements:
        reach[comm_street[a["社区"]]].add(a["单位"])
    for m in members:
        reach[org_street[m["组织"]]].add(m["单位"])
    for c in cadres:
        reach[comm_street[c["报到社区"]]].add(c["所在单位"])
    legal_units = {r["提供单位"] for r in resources if r["类别"] == "法律服务"}
    for sid in NO_LEGAL_STREETS:
        assert not (reach[sid] & legal_units), sid
    stranded = [n for n in open_needs if n["类别"] == "法律服务"
                and comm_street[need_comm[n["编号"]]] in NO_LEGAL_STREETS]
    assert len(stranded) >= 3

    res_by_id = {r["编号"]: r for r in resources}
    cob = {(a["单位"], a["社区"]) for a in agreements}
    assert {p["单位"] for p in projects} >= res_ids
    for p in projects:
        r = res_by_id[p["资源"]]
        assert r["提供单位"] == p["单位"] and (p["单位"], p["社区"]) in cob
        assert need_comm[p["需求"]] == p["社区"]

    committees = {o["编号"]: o["层级"] for o in po}
    assert all(m["单位"] in unit_ids and m["组织"] in committees for m in members)
    kinds = Counter(committees[m["组织"]] for m in members)
    assert kinds["街道党工委"] and kinds["社区党委"] and kinds["网格党支部"]

    skind = Counter(s["类型"] for s in stations)
    assert skind["暖新驿站"] == 24 and skind["司机之家"] == 1
    served = sum(int(s["服务人次"]) for s in stations if s["服务人次"])
    assert 1000 <= served < 1100, served  # "累计服务1000余人次"
    for s in stations:
        assert s["所在社区"] in comm_ids and (not s["运营单位"] or s["运营单位"] in unit_ids)
        if s["类型"] != "党群服务中心":
            assert s["服务项目"] == STATION_SERVICES

    pk = Counter(p["类型"] for p in prop)
    assert pk["居委会"] == 40 and pk["业委会"] == 4 and pk["物业公司"] > 0
    owners = [p for p in prop if p["类型"] == "业委会"]
    share = 100.0 * sum(int(p["党员数"]) for p in owners) / sum(int(p["成员数"]) for p in owners)
    assert f"{share:.2f}" == "53.43", share

    for name in ("communities", "grids", "compounds", "units"):
        names = [r.get("名称") or r.get("单位名称") for r in _rows(T, name)]
        assert len(set(names)) == len(names), name
    check_training(T)


# --------------------------------------------------------------------------------------
def render(T: dict[str, list[list[str]]]) -> dict[str, bytes]:
    out = {}
    for name, rows in T.items():
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerows(rows)
        out[f"{name}.csv"] = buf.getvalue().encode("utf-8")
    return out


def digest(files: dict[str, bytes]) -> str:
    h = hashlib.sha256()
    for name in sorted(files):
        h.update(name.encode() + b"\0" + files[name] + b"\0")
    return h.hexdigest()


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else OUT
    first = render(generate())
    again = render(generate())
    assert digest(first) == digest(again), "generation is not deterministic"
    out.mkdir(parents=True, exist_ok=True)
    for name, data in sorted(first.items()):
        (out / name).write_bytes(data)
    for name, data in sorted(first.items()):
        lines = data.count(b"\n") - 1
        print(f"{name:18s} {lines:5d} rows")
    print(f"sha256 {digest(first)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
