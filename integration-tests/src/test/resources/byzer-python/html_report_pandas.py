#%env=source /usr/local/Caskroom/miniconda/base/bin/activate dev2
#%python
#%input=data
#%schema=st(field(content,string),field(mime,string))
from pyjava.api.mlsql import RayContext,PythonContext
import os
# 这句是为了代码提示
context:PythonContext = context
ray_context = RayContext.connect(globals(),None)
data = ray_context.to_pandas()
data_a = data['Busn_A']
data_b = data['Busn_B']
# pyecharts is not installable here: the same report, rendered by pandas instead of a pyecharts Bar
report = data.assign(name=["衬衫", "毛衣", "领带", "裤子", "风衣", "高跟鞋", "袜子"])
report.to_html('bar_demo.html', index=False)  # 生成html文件
html = ""
with open("bar_demo.html") as file:
   html = "\n".join(file.readlines())
os.remove("bar_demo.html")
context.build_result([{"content":html,"mime":"html"}])
