#%python
#%input=data
#%output=mockTable2
#%schema=st(field(ProductName,string),field(SubProduct,string))
#%runIn=driver
#%dataMode=data
#%cache=true
#%env=source /opt/miniconda3/bin/activate ray1.8.0

from pyjava.api.mlsql import PythonContext,RayContext

# type hint
context:PythonContext = context

ray_context = RayContext.connect(globals(),"127.0.0.1:10001")

def echo(row):
    row1 = {}
    row1["ProductName"]=str(row['Busn_A'])+'_jackm'
    row1["SubProduct"] = str(row['Busn_B'])+'_product'
    return row1

ray_context.foreach(echo)
